import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '#infra/project-root.ts';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { lambdaContext } from './lambda-context.ts';

const TABLE = 'newswatch-handlers';
// The deployed ingest function refuses private addresses, so this feed fails at the guard.
const PRIVATE_FEED = 'http://127.0.0.1:9/feed.xml';

let dynamo: EmbeddedDynamoDb;
const savedEnv = { ...process.env };

function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'scheduler',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: { correlationId: { stringValue: 'sweep-1', dataType: 'String' } },
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:feeds',
    awsRegion: 'us-east-1',
  };
}

/** Imports a fresh copy of a handler module, so it reads the environment set for this test. */
async function importHandler<T>(path: string, env: Record<string, string>): Promise<T> {
  vi.resetModules();
  Object.assign(process.env, env);
  return (await import(path)) as T;
}

beforeAll(async () => {
  dynamo = await startEmbeddedDynamoDb();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  await ensureTable(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    TABLE,
  );
});

afterAll(async () => {
  process.env = savedEnv;
  await dynamo?.close();
});

type IngestModule = typeof import('#functions/ingest/handler.ts');
type ScheduleModule = typeof import('#functions/schedule/handler.ts');

describe('ingest handler', () => {
  const ingestEnv = { TABLE_NAME: TABLE, SEEDS_DIR: resolve(PROJECT_ROOT, 'seeds') };

  it('records a failing feed in its feed state and does not ask SQS to retry it', async () => {
    const { handler } = await importHandler<IngestModule>(
      '#functions/ingest/handler.ts',
      ingestEnv,
    );
    const event: SQSEvent = { Records: [sqsRecord('m1', JSON.stringify({ url: PRIVATE_FEED }))] };
    const response = await handler(event, lambdaContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [] });
    const store = createDynamoStore({ endpoint: dynamo.endpoint, tableName: TABLE });
    const state = await store.getFeedState(feedIdFor(PRIVATE_FEED));
    expect(state?.consecutiveFailures).toBe(1);
    expect(state?.lastErrorCode).toBeDefined();
  });

  it('reports a message that is not a feed as a batch item failure and processes the rest', async () => {
    const { handler } = await importHandler<IngestModule>(
      '#functions/ingest/handler.ts',
      ingestEnv,
    );
    const event: SQSEvent = {
      Records: [
        sqsRecord('bad', '{"nope": true}'),
        sqsRecord('good', JSON.stringify({ url: 'http://127.0.0.1:9/other.xml' })),
      ],
    };
    const response = await handler(event, lambdaContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });

  it('fails the whole batch when the store is down, so SQS delivers every message again', async () => {
    const { handler } = await importHandler<IngestModule>('#functions/ingest/handler.ts', {
      ...ingestEnv,
      TABLE_NAME: 'no-such-table',
    });
    const event: SQSEvent = {
      Records: [
        sqsRecord('store-down-1', JSON.stringify({ url: PRIVATE_FEED })),
        sqsRecord('store-down-2', JSON.stringify({ url: 'http://127.0.0.1:9/other.xml' })),
      ],
    };
    // Every record failed: Powertools throws so the whole batch is retried.
    await expect(handler(event, lambdaContext('ingest'))).rejects.toThrow(/All records failed/);
  });

  it('fails the cold start naming the missing variable', async () => {
    delete process.env.SEEDS_DIR;
    await expect(
      importHandler<IngestModule>('#functions/ingest/handler.ts', { TABLE_NAME: TABLE }),
    ).rejects.toThrow(/SEEDS_DIR/);
  });
});

describe('schedule handler', () => {
  const sqs = mockClient(SQSClient);

  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('queues every feed of the bundled list that is due, with the request id as correlation id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-feeds-'));
    const feedsFile = join(dir, 'feeds.json');
    const feeds = Array.from({ length: 12 }, (_, index) => ({
      url: `https://example.com/schedule-${index}.xml`,
    }));
    writeFileSync(feedsFile, JSON.stringify({ feeds }));
    const { handler } = await importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
      TABLE_NAME: TABLE,
      FEEDS_FILE: feedsFile,
      SWEEP_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/feeds',
      INTERVAL_MINUTES: '15',
    });
    const result = await handler({}, lambdaContext('schedule', 'tick-42'));
    expect(result).toEqual({ feeds: 12, queued: 12 });
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 2]);
    expect(
      calls[0]?.args[0].input.Entries?.[0]?.MessageAttributes?.correlationId?.StringValue,
    ).toBe('tick-42');
  });

  it('fails the cold start naming a bad variable', async () => {
    await expect(
      importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
        TABLE_NAME: TABLE,
        FEEDS_FILE: 'feeds.json',
        SWEEP_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/feeds',
        INTERVAL_MINUTES: 'often',
      }),
    ).rejects.toThrow(/INTERVAL_MINUTES/);
  });
});

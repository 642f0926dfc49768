import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ingestChunk, StoreFailureError } from '#functions/ingest/ingest-chunk.ts';
import { parseIngestMessage } from '#functions/ingest/ingest-event.ts';
import { PROJECT_ROOT } from '#infra/project-root.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { lambdaContext } from './lambda-context.ts';

const TABLE = 'newswatch-handlers';
// The deployed ingest function refuses private addresses, so this feed fails at the guard.
const PRIVATE_FEED = 'http://127.0.0.1:9/feed.xml';

let dynamo: EmbeddedDynamoDb;
const savedEnv = { ...process.env };

/** The body the schedule function queues: one chunk of feeds. */
function chunkBody(...urls: string[]): string {
  return JSON.stringify({ feeds: urls.map((url) => ({ url })), correlationId: 'sweep-1' });
}

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

  it('records a failing feed of a chunk in its feed state and does not ask SQS to retry the chunk', async () => {
    const { handler } = await importHandler<IngestModule>(
      '#functions/ingest/handler.ts',
      ingestEnv,
    );
    const event: SQSEvent = { Records: [sqsRecord('m1', chunkBody(PRIVATE_FEED))] };
    const response = await handler(event, lambdaContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [] });
    const store = createDynamoStore({ endpoint: dynamo.endpoint, tableName: TABLE });
    const state = await store.getFeedState(feedIdFor(PRIVATE_FEED));
    expect(state?.consecutiveFailures).toBe(1);
    expect(state?.lastErrorCode).toBeDefined();
  });

  it('reports a message that is not a chunk of feeds as a batch item failure and ingests the rest', async () => {
    const { handler } = await importHandler<IngestModule>(
      '#functions/ingest/handler.ts',
      ingestEnv,
    );
    const event: SQSEvent = {
      Records: [
        sqsRecord('bad', '{"nope": true}'),
        sqsRecord('good', chunkBody('http://127.0.0.1:9/other.xml')),
      ],
    };
    const response = await handler(event, lambdaContext('ingest'));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });

  it('fails the chunk when the store is down, so SQS delivers it again', async () => {
    const { handler } = await importHandler<IngestModule>('#functions/ingest/handler.ts', {
      ...ingestEnv,
      TABLE_NAME: 'no-such-table',
    });
    const event: SQSEvent = {
      Records: [sqsRecord('store-down', chunkBody(PRIVATE_FEED, 'http://127.0.0.1:9/other.xml'))],
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

describe('ingestChunk', () => {
  const worldXml = readFileSync(resolve(PROJECT_ROOT, 'test/fixtures/sweep/world.xml'));
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (new URL(request.url ?? '/', base).pathname === '/world.xml') {
        response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(worldXml);
      } else response.writeHead(404).end('not found');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  async function deps(tableName: string) {
    const store = createDynamoStore({ endpoint: dynamo.endpoint, tableName });
    const warnings: string[] = [];
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'newswatch' });
    return {
      warnings,
      metrics,
      chunkDeps: {
        store,
        poller: createFeedPoller({
          allowPrivateNetwork: true,
          timeoutMs: 5000,
          maxBodyBytes: 1024 * 1024,
          perHostConcurrency: 2,
        }),
        scorer: createScorer(await loadProfile(resolve(PROJECT_ROOT, 'seeds'))),
        stories: createStoryAssigner(store),
        metrics,
        log: { debug: () => undefined, warn: (message: string) => warnings.push(message) },
      },
    };
  }

  it('ingests every feed of the chunk and records each one as it finishes', async () => {
    const { chunkDeps, metrics, warnings } = await deps(TABLE);
    const event = parseIngestMessage('m1', chunkBody(`${base}/world.xml`, `${base}/gone.xml`));
    const summary = await ingestChunk(event, chunkDeps);
    expect(summary).toMatchObject({ feeds: 2, polled: 2, failed: 1, items: 3 });
    const emitted = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emitted.FeedsPolled).toEqual([1, 1]);
    expect(warnings).toEqual(['feed failed']);
    const store = createDynamoStore({ endpoint: dynamo.endpoint, tableName: TABLE });
    expect((await store.getFeedState(feedIdFor(`${base}/world.xml`)))?.lastSuccessAt).toBeDefined();
  });

  it('throws a StoreFailureError naming every feed it could not store, after trying them all', async () => {
    const { chunkDeps } = await deps('no-such-table');
    const urls = [`${base}/world.xml`, `${base}/other.xml`];
    const ingesting = ingestChunk(parseIngestMessage('m2', chunkBody(...urls)), chunkDeps);
    await expect(ingesting).rejects.toThrow(StoreFailureError);
    await expect(ingesting).rejects.toThrow(
      /^2 of 2 feed\(s\) could not be stored, the chunk will be retried: .*world\.xml.*other\.xml/,
    );
  });
  it('names only the feeds whose writes failed, counting each feed once in the metrics', async () => {
    const { chunkDeps, metrics } = await deps(TABLE);
    // The real store, refusing the feed-state writes runSweep makes after the polls: the fetched
    // feed turns into a store failure, the feed that failed its fetch stays an HTTP failure.
    const store = Object.assign(Object.create(chunkDeps.store), {
      putFeedStates: () => Promise.reject(new Error('state write throttled')),
    }) as typeof chunkDeps.store;
    // Feeds this table has not seen yet, so both are polled and both states need writing.
    const urls = [`${base}/world.xml?copy=1`, `${base}/gone.xml?copy=1`];
    const event = parseIngestMessage('m3', chunkBody(...urls));
    await expect(ingestChunk(event, { ...chunkDeps, store })).rejects.toThrow(
      /^1 of 2 feed\(s\) could not be stored, the chunk will be retried: http:\/\/127\.0\.0\.1:\d+\/world\.xml\?copy=1 \(first error: STORE: .*state write throttled\)$/,
    );
    const emitted = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emitted.FeedsPolled).toEqual([1, 1]);
  });
});

describe('schedule handler', () => {
  const sqs = mockClient(SQSClient);
  const scheduleEnv = {
    TABLE_NAME: TABLE,
    FEEDS_FILE: 'feeds.json',
    SWEEP_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/feeds',
    INTERVAL_MINUTES: '15',
  };

  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('queues the due feeds of the bundled list in chunks, with the request id as correlation id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-feeds-'));
    const feedsFile = join(dir, 'feeds.json');
    const feeds = Array.from({ length: 12 }, (_, index) => ({
      url: `https://example.com/schedule-${index}.xml`,
    }));
    writeFileSync(feedsFile, JSON.stringify({ feeds }));
    const { handler } = await importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
      ...scheduleEnv,
      FEEDS_FILE: feedsFile,
      INGEST_BATCH_SIZE: '5',
      MAX_CONCURRENT_INGESTS: '2',
    });
    const result = await handler({}, lambdaContext('schedule', 'tick-42'));
    expect(result).toEqual({ feeds: 12, queued: 12, chunks: 2 });
    const entries = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    const events = entries.map((entry) => parseIngestMessage('m', entry.MessageBody ?? ''));
    // Two invocations at most: the chunks grow from 5 to 6 feeds.
    expect(events.map((event) => event.feeds.length)).toEqual([6, 6]);
    expect(events.flatMap((event) => event.feeds.map((feed) => feed.url))).toEqual(
      feeds.map((feed) => feed.url),
    );
    expect(events.every((event) => event.correlationId === 'tick-42')).toBe(true);
  });

  it('fails the cold start naming a bad variable', async () => {
    await expect(
      importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
        ...scheduleEnv,
        INTERVAL_MINUTES: 'often',
      }),
    ).rejects.toThrow(/INTERVAL_MINUTES/);
  });

  it('fails the cold start naming a chunk size outside 1-50', async () => {
    await expect(
      importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
        ...scheduleEnv,
        INGEST_BATCH_SIZE: '51',
      }),
    ).rejects.toThrow(/INGEST_BATCH_SIZE/);
  });
});

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runRedriveAlerts } from '#cli/commands/redrive-alerts-command.ts';
import { ExitCode } from '#cli/exit-codes.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { aMatch, tickingClock } from '../../fixtures/alerts/alert-fixtures.ts';
import { openTestTable, type TestTable } from '../support/dynamo-table.ts';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/DeliveryDeadLetters';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';
/** The batch whose stream records expired: its records reached the stream in this minute. */
const FIRST_ARRIVAL = '2026-11-29T05:01:02.000Z';
const LAST_ARRIVAL = '2026-11-29T05:01:40.000Z';

const sqs = mockClient(SQSClient);
const sns = mockClient(SNSClient);

/** Lambda's on-failure record for a stream batch it gave up on (the shape AWS documents). */
function streamBatchPointer(first = FIRST_ARRIVAL, last = LAST_ARRIVAL): string {
  return JSON.stringify({
    requestContext: {
      requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:NewswatchService-Alert',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 6,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-11-29T05:09:12.345Z',
    DDBStreamBatchInfo: {
      shardId: 'shardId-00000001732000000000-a1b2c3d4',
      startSequenceNumber: '800000000000000000001',
      endSequenceNumber: '800000000000000000004',
      approximateArrivalOfFirstRecord: first,
      approximateArrivalOfLastRecord: last,
      batchSize: 4,
      streamArn:
        'arn:aws:dynamodb:eu-west-1:123456789012:table/newswatch/stream/2026-11-01T00:00:00.000',
    },
  });
}

/** Lambda's on-failure record of a digest run that failed its retries. */
const DIGEST_FAILURE = JSON.stringify({
  version: '1.0',
  timestamp: '2026-11-29T06:00:41.123Z',
  requestContext: {
    requestId: 'r-digest',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: { action: 'flush-digest' },
  responseContext: { statusCode: 200, functionError: 'Unhandled' },
});

/** An e-mail SNS could not deliver: the same queue holds it, and a re-drive leaves it be. */
const UNDELIVERED_EMAIL = JSON.stringify({
  Type: 'Notification',
  MessageId: 'sns-1',
  TopicArn: TOPIC,
  Message: '{}',
});

function messages(bodies: string[]): Message[] {
  return bodies.map((body, n) => ({
    MessageId: `msg-${n}`,
    ReceiptHandle: `receipt-${n}`,
    Body: body,
  }));
}

/** The queue holds these messages for one receive, then looks empty. */
function queueHolds(bodies: string[]): void {
  sqs.reset();
  sqs
    .on(ReceiveMessageCommand)
    .resolvesOnce({ Messages: messages(bodies) })
    .resolves({});
  sqs.on(DeleteMessageCommand).resolves({});
}

function deletedReceipts(): string[] {
  return sqs
    .commandCalls(DeleteMessageCommand)
    .map((call) => call.args[0].input.ReceiptHandle ?? '');
}

function publishedMatchIds(): string[] {
  return sns.commandCalls(PublishCommand).flatMap((call) => {
    const payload = JSON.parse(
      (JSON.parse(call.args[0].input.Message ?? '{}') as { default: string }).default,
    ) as { matchId?: string; stories?: { matchId: string }[] };
    return payload.stories
      ? payload.stories.map((story) => story.matchId)
      : [payload.matchId ?? ''];
  });
}

let table: TestTable;
let closeTable: () => Promise<void>;
let store: DynamoDbStore;
const now = tickingClock('2026-11-29T07:00:00.000Z');

async function redrive(extra: string[] = []) {
  let out = '';
  let err = '';
  const raw: Record<string, unknown> = { queue: QUEUE, table: table.tableName, topic: TOPIC };
  for (const flag of extra) raw[flag] = true;
  const code = await runRedriveAlerts(raw, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    now,
  });
  return { code, out, err };
}

const at = (iso: string) => iso;
// The failed batch: two copies of one story, another story, and what the stream filter left out.
const batch: Match[] = [
  aMatch({ id: 'story-a-first', storyId: 'story-a', storedAt: at('2026-11-29T05:01:01.000Z') }),
  aMatch({ id: 'story-a-copy', storyId: 'story-a', storedAt: at('2026-11-29T05:01:20.000Z') }),
  aMatch({ id: 'story-b', storedAt: at('2026-11-29T05:01:39.000Z') }),
  aMatch({ id: 'not-alert-worthy', alert: false, storedAt: at('2026-11-29T05:01:10.000Z') }),
];
// Alerted before the batch failed, by the alert function itself: the ledger knows the story.
const alreadyAlerted = aMatch({
  id: 'story-c',
  storedAt: at('2026-11-29T05:01:30.000Z'),
});
// Stored an hour before: another batch's, which went through.
const earlier = aMatch({ id: 'earlier', storedAt: at('2026-11-29T04:01:00.000Z') });
// Held back by the caps earlier: waiting in the digest queue.
const waiting = aMatch({ id: 'waiting', storedAt: at('2026-11-29T03:00:00.000Z') });

beforeAll(async () => {
  ({ table, close: closeTable } = await openTestTable('redrive'));
  store = table.store({ now });
  await store.storeMatches([...batch, alreadyAlerted, earlier, waiting], [], []);
  expect(await store.claimAlert('story-c', 'story-c', 60)).toBe('claimed');
  await store.markAlertSent('story-c', 'story-c', '2026-11-29T05:01:35.000Z', 'sns-earlier');
  await store.enqueueDigest({
    storyId: waiting.storyId,
    matchId: waiting.id,
    queuedAt: '2026-11-29T03:00:05.000Z',
  });
  // The command finds the table the way the SDK does, with the endpoint the tests run.
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', table.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', table.credentials.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  sqs.restore();
  sns.restore();
  await closeTable?.();
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-redriven' });
});

describe('newswatch redrive-alerts', () => {
  it('with --dry-run, names what it would re-drive and sends and removes nothing', async () => {
    queueHolds([streamBatchPointer(), DIGEST_FAILURE]);

    const result = await redrive(['dryRun']);

    expect(result.code).toBe(ExitCode.Ok);
    expect(result.out).toContain('msg-0 would re-drive: stream batch of 4');
    // story-a (two copies) and story-b; story-c is alerted in its ledger but not marked yet.
    expect(result.out).toMatch(/msg-0 would re-drive: .*: 4 alert-worthy matches not yet alerted/);
    expect(result.out).toContain('msg-1 would re-drive: digest run (failed)');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(deletedReceipts()).toEqual([]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: QUEUE,
      VisibilityTimeout: 30,
    });
  });

  it("re-drives the batch's matches from the table and the digest, removing only what went through", async () => {
    queueHolds([streamBatchPointer(), UNDELIVERED_EMAIL, DIGEST_FAILURE]);

    const result = await redrive();

    // One alert per story, led by its first copy; story-c's ledger says it was sent already.
    expect(publishedMatchIds()).toEqual(['story-a-first', 'story-b', 'waiting']);
    expect(deletedReceipts()).toEqual(['receipt-0', 'receipt-2']);
    expect(result.out).toContain('msg-0 re-driven');
    expect(result.out).toContain('4 matches, 2 sent, 0 to the digest, 2 already alerted');
    expect(result.out).toContain('msg-2 re-driven: digest run (failed): 1 stories in the digest');
    // The undelivered e-mail is not the alert function's: it stays, and the exit code says so.
    expect(result.code).toBe(ExitCode.Partial);
    expect(result.err).toContain('msg-1 left: record left in the queue');
    expect((await store.getMatch('story-a-first'))?.alerted).toBe(true);
    expect((await store.getMatch('earlier'))?.alerted).toBe(false);
  });

  it('re-driving the same pointer again sends nothing twice', async () => {
    queueHolds([streamBatchPointer()]);

    const result = await redrive();

    expect(result.code).toBe(ExitCode.Ok);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(deletedReceipts()).toEqual(['receipt-0']);
  });

  it('keeps a pointer whose alerts fail to publish, and re-drives it once SNS answers', async () => {
    const fresh = [
      aMatch({ id: 'late-1', storedAt: '2026-11-29T06:30:00.500Z' }),
      aMatch({ id: 'late-2', storedAt: '2026-11-29T06:30:01.000Z' }),
    ];
    await store.storeMatches(fresh, [], []);
    const pointer = streamBatchPointer('2026-11-29T06:30:01.000Z', '2026-11-29T06:30:02.000Z');
    sns.on(PublishCommand).rejects(
      Object.assign(new Error('User is not authorized to perform SNS:Publish'), {
        name: 'AuthorizationErrorException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    queueHolds([pointer]);

    const failed = await redrive();

    expect(failed.code).toBe(ExitCode.Partial);
    expect(deletedReceipts()).toEqual([]);
    expect(failed.err).toMatch(/msg-0 failed: .*late-1: publish: .*not authorized/);

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-redriven' });
    queueHolds([pointer]);
    const retried = await redrive();

    expect(retried.code).toBe(ExitCode.Ok);
    expect(publishedMatchIds().sort()).toEqual(['late-1', 'late-2']);
    expect(deletedReceipts()).toEqual(['receipt-0']);
  });

  it('refuses to send without the topic, naming the option', async () => {
    await expect(
      runRedriveAlerts({ queue: QUEUE, table: table.tableName }, { out: () => {}, err: () => {} }),
    ).rejects.toThrow(/topic: is required unless --dry-run/);
  });
});

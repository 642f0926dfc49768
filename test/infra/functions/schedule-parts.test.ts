import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { type IngestEvent, parseIngestMessage } from '#functions/ingest/ingest-event.ts';
import { chunkFeeds } from '#functions/schedule/chunk-feeds.ts';
import { FeedHandOverError, sendIngestEvents } from '#functions/schedule/sqs-ingest-queue.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/feeds';
const sqs = mockClient(SQSClient);
const NO_WAIT = { retryDelayMs: 0 };

function feeds(count: number, prefix = 'feed'): FeedSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    url: `https://example.com/${prefix}-${index}.xml`,
    tags: [],
  }));
}

function events(sizes: number[]): IngestEvent[] {
  return sizes.map((size, index) => ({
    feeds: feeds(size, `chunk${index}`),
    correlationId: 'tick-1',
  }));
}

function sentEntries() {
  return sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? []);
}

describe('chunkFeeds', () => {
  it('cuts a small tick into chunks of the batch size', () => {
    const chunks = chunkFeeds(feeds(20), { batchSize: 10, maxChunks: 10 });
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10]);
  });

  it('balances the chunks so their sizes differ by at most one', () => {
    const chunks = chunkFeeds(feeds(23), { batchSize: 10, maxChunks: 10 });
    expect(chunks.map((chunk) => chunk.length)).toEqual([8, 8, 7]);
  });

  it('grows the chunks so a large tick needs no more than maxChunks invocations', () => {
    const chunks = chunkFeeds(feeds(200), { batchSize: 10, maxChunks: 10 });
    expect(chunks).toHaveLength(10);
    expect(chunks.every((chunk) => chunk.length === 20)).toBe(true);
  });

  it('never builds a chunk larger than 50 feeds, even if that exceeds maxChunks', () => {
    const chunks = chunkFeeds(feeds(1000), { batchSize: 10, maxChunks: 10 });
    expect(chunks).toHaveLength(20);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBe(50);
  });

  it('keeps every feed exactly once and in order', () => {
    const input = feeds(37);
    expect(chunkFeeds(input, { batchSize: 5, maxChunks: 4 }).flat()).toEqual(input);
  });

  it('builds no chunk when no feed is due', () => {
    expect(chunkFeeds([], { batchSize: 10, maxChunks: 10 })).toEqual([]);
  });
});

describe('sendIngestEvents', () => {
  beforeEach(() => {
    sqs.reset();
  });

  it('queues one message per chunk, ten chunks to a call, and returns the feeds handed over', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const handed = await sendIngestEvents(new SQSClient({}), QUEUE_URL, events(Array(12).fill(3)));
    expect(handed).toBe(36);
    const sizes = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries?.length ?? 0)
      .sort((a, b) => b - a);
    expect(sizes).toEqual([10, 2]);
  });

  it('puts the event in the body, readable by the ingest side, and the correlation id in an attribute', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const [event] = events([2]);
    await sendIngestEvents(new SQSClient({}), QUEUE_URL, [event as IngestEvent]);
    const entry = sentEntries()[0];
    expect(parseIngestMessage('m1', entry?.MessageBody ?? '')).toEqual(event);
    expect(entry?.MessageAttributes?.correlationId?.StringValue).toBe('tick-1');
  });

  it('sends a chunk SQS refused again until it is accepted', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [],
        Failed: [{ Id: '1', Code: 'ThrottlingException', SenderFault: false }],
      })
      .resolves({ Successful: [], Failed: [] });
    await sendIngestEvents(new SQSClient({}), QUEUE_URL, events([2, 2, 2]), NO_WAIT);
    const retry = sqs.commandCalls(SendMessageBatchCommand)[1]?.args[0].input.Entries;
    expect(retry?.map((entry) => entry.Id)).toEqual(['1']);
  });

  it('sends a call that threw again', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(new Error('socket hang up'))
      .resolves({ Successful: [], Failed: [] });
    expect(await sendIngestEvents(new SQSClient({}), QUEUE_URL, events([4]), NO_WAIT)).toBe(4);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });

  it('sends every other chunk and then throws, counting and naming the feeds not handed over', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
    });
    const sending = sendIngestEvents(new SQSClient({}), QUEUE_URL, events([2, 3, 2]), NO_WAIT);
    await expect(sending).rejects.toThrow(FeedHandOverError);
    await expect(sending).rejects.toThrow(
      /^3 of 7 feed\(s\) were not handed over to ingest \(1 of 3 chunk\(s\) failed: InternalError\): .*chunk1-0\.xml/,
    );
    // The first call carried all three chunks; only the refused one was tried again, twice.
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([3, 1, 1]);
  });

  it('reports the chunks of a call that failed every time while the other calls went through', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      if (input.Entries.some((entry) => entry.Id === '10')) throw new Error('AccessDenied');
      return { Successful: [], Failed: [] };
    });
    const sending = sendIngestEvents(
      new SQSClient({}),
      QUEUE_URL,
      events(Array(11).fill(1)),
      NO_WAIT,
    );
    await expect(sending).rejects.toThrow(/^1 of 11 feed\(s\).*AccessDenied.*chunk10-0\.xml/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(4);
  });

  it('sends nothing when no feed is due', async () => {
    expect(await sendIngestEvents(new SQSClient({}), QUEUE_URL, [])).toBe(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});

import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { enqueueFeeds, FeedQueueError } from '#functions/schedule/sqs-feed-queue.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/feeds';
const sqs = mockClient(SQSClient);

function feeds(count: number): FeedSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    url: `https://example.com/feed-${index}.xml`,
    tags: [],
  }));
}

describe('enqueueFeeds', () => {
  beforeEach(() => {
    sqs.reset();
  });

  it('sends one message per feed in batches of at most ten', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queued = await enqueueFeeds(new SQSClient({}), QUEUE_URL, feeds(23), 'sweep-1');
    expect(queued).toBe(23);
    const sizes = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 3]);
  });

  it('puts the feed spec in the body and the correlation id in a message attribute', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await enqueueFeeds(new SQSClient({}), QUEUE_URL, feeds(1), 'sweep-7');
    const entry = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
    expect(JSON.parse(entry?.MessageBody ?? '')).toEqual(feeds(1)[0]);
    expect(entry?.MessageAttributes?.correlationId?.StringValue).toBe('sweep-7');
  });

  it('sends entries that failed again until they succeed', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [],
        Failed: [{ Id: '1', Code: 'ThrottlingException', SenderFault: false }],
      })
      .resolves({ Successful: [], Failed: [] });
    await enqueueFeeds(new SQSClient({}), QUEUE_URL, feeds(3), 'sweep-1');
    const retry = sqs.commandCalls(SendMessageBatchCommand)[1]?.args[0].input.Entries;
    expect(retry?.map((entry) => entry.Id)).toEqual(['1']);
  });

  it('throws a FeedQueueError naming the feeds that could not be queued after three attempts', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '2', Code: 'InternalError', SenderFault: false }],
    });
    const sending = enqueueFeeds(new SQSClient({}), QUEUE_URL, feeds(3), 'sweep-1');
    await expect(sending).rejects.toThrow(FeedQueueError);
    await expect(sending).rejects.toThrow(/feed-2\.xml/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('sends nothing when no feed is due', async () => {
    expect(await enqueueFeeds(new SQSClient({}), QUEUE_URL, [], 'sweep-1')).toBe(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});

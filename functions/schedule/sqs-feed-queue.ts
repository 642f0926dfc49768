import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { CORRELATION_ATTRIBUTE } from '#shared/observability/correlation.ts';

/** SQS takes at most ten messages per SendMessageBatch call. */
const BATCH_LIMIT = 10;
/** Entries that failed (throttling, a transient error) are sent again this many times. */
const ATTEMPTS = 3;

/** Some feeds could not be queued after every retry; the message names them. */
export class FeedQueueError extends Error {
  override readonly name = 'FeedQueueError';
}

/** Queues one message per feed (body: the FeedSpec as JSON), in batches of ten. */
export async function enqueueFeeds(
  client: Pick<SQSClient, 'send'>,
  queueUrl: string,
  feeds: readonly FeedSpec[],
  correlationId: string,
): Promise<number> {
  const failed: string[] = [];
  for (let start = 0; start < feeds.length; start += BATCH_LIMIT) {
    const chunk = feeds.slice(start, start + BATCH_LIMIT);
    let entries: SendMessageBatchRequestEntry[] = chunk.map((feed, index) => ({
      Id: String(start + index),
      MessageBody: JSON.stringify(feed),
      MessageAttributes: {
        [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId },
      },
    }));
    for (let attempt = 1; attempt <= ATTEMPTS && entries.length > 0; attempt++) {
      const response = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      const failedIds = new Set((response.Failed ?? []).map((entry) => entry.Id));
      entries = entries.filter((entry) => failedIds.has(entry.Id));
    }
    for (const entry of entries)
      failed.push(chunk[Number(entry.Id) - start]?.url ?? String(entry.Id));
  }
  if (failed.length > 0) {
    throw new FeedQueueError(`could not queue ${failed.length} feed(s): ${failed.join(', ')}`);
  }
  return feeds.length;
}

import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { IngestEvent } from '#functions/ingest/ingest-event.ts';
import { CORRELATION_ATTRIBUTE } from '#shared/observability/correlation.ts';
import { mapBounded } from '#shared/sweep/map-bounded.ts';

/** SQS takes at most ten messages per SendMessageBatch call... */
const ENTRIES_PER_CALL = 10;
/** ...and at most 256 KiB of bodies in one call (kept under with a margin for the attributes). */
const BYTES_PER_CALL = 200 * 1024;

export interface SendOptions {
  /** Tries per chunk (a failed entry or a call that throws is sent again). @default 3 */
  attempts?: number;
  /** SendMessageBatch calls in flight at once. @default 4 */
  parallelism?: number;
  /** Wait before a retry, times the attempt number. @default 200 */
  retryDelayMs?: number;
}

/** Some chunks could not be handed over after every retry; the message counts and names the feeds. */
export class FeedHandOverError extends Error {
  override readonly name = 'FeedHandOverError';
}

interface Failure {
  entry: SendMessageBatchRequestEntry;
  reason: string;
}

/**
 * Queues one message per ingest event (body: the event as JSON), ten to a call, calls in
 * parallel up to a bound, each failed chunk retried. Resolves to the feeds handed over; throws
 * {@link FeedHandOverError} only after every other chunk was sent.
 */
export async function sendIngestEvents(
  client: Pick<SQSClient, 'send'>,
  queueUrl: string,
  events: readonly IngestEvent[],
  options: SendOptions = {},
): Promise<number> {
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const entries = events.map((event, index) => ({
    Id: String(index),
    MessageBody: JSON.stringify(event),
    MessageAttributes: {
      [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: event.correlationId },
    },
  }));
  const failures = (
    await mapBounded(groupEntries(entries), options.parallelism ?? 4, async (group) => {
      let pending: Failure[] = group.map((entry) => ({ entry, reason: 'not sent' }));
      for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
        if (attempt > 1) await sleep(retryDelayMs * (attempt - 1));
        pending = await sendOnce(client, queueUrl, pending);
      }
      return pending;
    })
  ).flat();
  if (failures.length > 0) {
    const lost = failures.flatMap(({ entry }) => events[Number(entry.Id)]?.feeds ?? []);
    const total = events.reduce((sum, event) => sum + event.feeds.length, 0);
    throw new FeedHandOverError(
      `${lost.length} of ${total} feed(s) were not handed over to ingest (${failures.length} of ${events.length} chunk(s) failed: ${failures[0]?.reason}): ${lost.map((feed) => feed.url).join(', ')}`,
    );
  }
  return events.reduce((sum, event) => sum + event.feeds.length, 0);
}

/** One SendMessageBatch call; returns the entries still to send, each with why. */
async function sendOnce(
  client: Pick<SQSClient, 'send'>,
  queueUrl: string,
  pending: Failure[],
): Promise<Failure[]> {
  try {
    const response = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: pending.map(({ entry }) => entry),
      }),
    );
    const failed = new Map((response.Failed ?? []).map((entry) => [entry.Id, entry]));
    return pending
      .filter(({ entry }) => failed.has(entry.Id))
      .map(({ entry }) => {
        const why = failed.get(entry.Id);
        return { entry, reason: `${why?.Code}${why?.Message ? `: ${why.Message}` : ''}` };
      });
  } catch (error) {
    return pending.map(({ entry }) => ({ entry, reason: (error as Error).message }));
  }
}

/** Groups entries into calls SQS accepts: at most ten, and under the size limit, per call. */
function groupEntries(entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const groups: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '');
    if (
      current.length > 0 &&
      (current.length === ENTRIES_PER_CALL || bytes + size > BYTES_PER_CALL)
    ) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import type { SQSRecord } from 'aws-lambda';
import { describeZodIssues } from '#shared/config/config-error.ts';
import { type FeedSpec, FeedSpecSchema } from '#shared/feeds/feed-list-schema.ts';

/** A queue message that is not a FeedSpec; it fails and, after its retries, lands in the DLQ. */
export class InvalidFeedMessageError extends Error {
  override readonly name = 'InvalidFeedMessageError';
}

/** Parses an SQS record body (JSON of a FeedSpec, as the schedule function sends it). */
export function parseFeedMessage(record: Pick<SQSRecord, 'messageId' | 'body'>): FeedSpec {
  let value: unknown;
  try {
    value = JSON.parse(record.body);
  } catch (error) {
    throw new InvalidFeedMessageError(
      `message ${record.messageId}: body is not JSON: ${(error as Error).message}`,
    );
  }
  const parsed = FeedSpecSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidFeedMessageError(
      `message ${record.messageId}: not a feed: ${describeZodIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

import { z } from 'zod';
import { describeZodIssues } from '#shared/config/config-error.ts';
import { MAX_FEEDS_PER_EVENT } from '#shared/config/lambda-env.ts';
import { FeedSpecSchema } from '#shared/feeds/feed-list-schema.ts';

/**
 * The hand-over between the schedule and the ingest function: the payload of one asynchronous
 * invocation is one chunk of due feeds, so a tick costs a few invocations (and cold starts)
 * instead of one per feed.
 */

/**
 * Feeds of one chunk the ingest function polls at once. With {@link MAX_FEEDS_PER_EVENT} it
 * bounds the rounds of fetches one invocation waits for, which the ingest timeout must cover.
 */
export const INGEST_FEED_CONCURRENCY = 20;

export const IngestEventSchema = z.strictObject({
  feeds: z
    .array(FeedSpecSchema)
    .min(1, 'must hold at least one feed')
    .max(MAX_FEEDS_PER_EVENT, `must hold at most ${MAX_FEEDS_PER_EVENT} feeds`),
  /** The schedule tick's request id, on every log line of the sweep. */
  correlationId: z.string().trim().min(1, 'must be set').max(200),
});
export type IngestEvent = z.infer<typeof IngestEventSchema>;

/** An event that is not a chunk of feeds; it fails and, after its retries, lands in the DLQ. */
export class InvalidIngestEventError extends Error {
  override readonly name = 'InvalidIngestEventError';
}

/** Validates an ingest event; `source` (e.g. the request id) leads the error message. */
export function parseIngestEvent(value: unknown, source: string): IngestEvent {
  const parsed = IngestEventSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidIngestEventError(
      `${source}: not an ingest event: ${describeZodIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** The event's correlation id when it has one, read before validation so a bad event keeps its tick's id. */
export function correlationIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { correlationId?: unknown }).correlationId;
  return typeof id === 'string' && id.trim() !== '' ? id : undefined;
}

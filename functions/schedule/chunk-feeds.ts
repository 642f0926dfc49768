import { MAX_FEEDS_PER_EVENT } from '#shared/config/lambda-env.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';

export interface ChunkLimits {
  /** Feeds per chunk when the tick is small enough. */
  batchSize: number;
  /** Most chunks (ingest invocations) one tick should start; chunks grow to stay under it. */
  maxChunks: number;
}

/**
 * Cuts the due feeds into chunks of at most `batchSize` feeds, grown (up to MAX_FEEDS_PER_EVENT)
 * so there are at most `maxChunks`, with sizes that differ by at most one so no invocation lags.
 */
export function chunkFeeds(feeds: readonly FeedSpec[], limits: ChunkLimits): FeedSpec[][] {
  if (feeds.length === 0) return [];
  const size = Math.min(
    MAX_FEEDS_PER_EVENT,
    Math.max(limits.batchSize, Math.ceil(feeds.length / limits.maxChunks)),
  );
  const count = Math.ceil(feeds.length / size);
  const chunks: FeedSpec[][] = [];
  let start = 0;
  for (let index = 0; index < count; index++) {
    // The first `feeds.length % count` chunks take one feed more than the rest.
    const length = Math.floor(feeds.length / count) + (index < feeds.length % count ? 1 : 0);
    chunks.push(feeds.slice(start, start + length));
    start += length;
  }
  return chunks;
}

import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { FeedPoller } from '#shared/feeds/feed-poller.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';
import { runSweep, type SweepDeps } from '#shared/sweep/run-sweep.ts';
import { INGEST_FEED_CONCURRENCY, type IngestEvent } from './ingest-event.ts';
import {
  type IngestLog,
  type IngestSummary,
  logFeedResult,
  recordIngestMetrics,
  summarizeIngestResults,
} from './ingest-metrics.ts';

/** The FeedError-style code runSweep gives a feed whose store calls threw. */
const STORE_FAILURE_CODE = 'STORE';

/**
 * Some feeds of a chunk could not be stored; the message names them. Thrown so the chunk is
 * delivered again (re-polling the others is harmless: conditional GETs, idempotent writes).
 */
export class StoreFailureError extends Error {
  override readonly name = 'StoreFailureError';
}

export interface IngestChunkDeps extends Omit<SweepDeps, 'concurrency' | 'onFeedDone' | 'alert'> {
  metrics: Pick<Metrics, 'addMetric' | 'singleMetric'>;
  log: IngestLog;
  /** Feeds polled at once. @default INGEST_FEED_CONCURRENCY */
  concurrency?: number;
}

/**
 * Ingests one chunk of feeds with runSweep (bounded concurrency, one feed's failure never stops
 * the others), recording each feed's metrics and log lines as it finishes. Throws
 * {@link StoreFailureError} after the chunk when any feed failed to store.
 */
export async function ingestChunk(
  event: IngestEvent,
  deps: IngestChunkDeps,
): Promise<IngestSummary> {
  const { metrics, log, concurrency, ...sweepDeps } = deps;
  const startedAt = new Map<string, number>();
  const results = new Map<string, FeedIngestResult>();
  const summary = await runSweep(event.feeds, {
    ...sweepDeps,
    poller: timedPoller(sweepDeps.poller, startedAt),
    concurrency: concurrency ?? INGEST_FEED_CONCURRENCY,
    onFeedDone: (result, feed) => {
      // runSweep reports a feed a second time when its state write failed after the poll:
      // its metrics count once, the later (STORE) result replaces the first.
      if (!results.has(feed.url)) {
        // A feed that never reached the network (store failure first) took no fetch time.
        const durationMs = Date.now() - (startedAt.get(feed.url) ?? Date.now());
        recordIngestMetrics(metrics, result, durationMs);
      }
      results.set(feed.url, result);
      logFeedResult(log, result);
    },
  });
  // The summary also holds feeds that failed before any was polled (reading the feed states).
  const unstored = summary.failed.filter((failure) =>
    failure.error.startsWith(`${STORE_FAILURE_CODE}: `),
  );
  if (unstored.length > 0) {
    throw new StoreFailureError(
      `${unstored.length} of ${event.feeds.length} feed(s) could not be stored, the chunk will be retried: ${unstored
        .map((failure) => failure.url)
        .join(', ')} (first error: ${unstored[0]?.error})`,
    );
  }
  return summarizeIngestResults([...results.values()]);
}

/** Notes when each feed's poll starts, so its duration excludes the wait for a free slot. */
function timedPoller(poller: FeedPoller, startedAt: Map<string, number>): FeedPoller {
  return {
    poll: (request) => {
      startedAt.set(request.feed.url, Date.now());
      return poller.poll(request);
    },
  };
}

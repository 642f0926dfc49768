import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';
import { runSweep, type SweepDeps } from '#shared/sweep/run-sweep.ts';

/** One feed through a sweep of its own, as a sweep reports it (its stored matches included). */
export async function ingestOne(
  feed: FeedSpec,
  deps: Omit<SweepDeps, 'concurrency' | 'onFeedDone'>,
): Promise<FeedIngestResult> {
  let reported: FeedIngestResult | undefined;
  await runSweep([feed], { ...deps, concurrency: 1, onFeedDone: (result) => (reported = result) });
  if (!reported) throw new Error(`the sweep did not report ${feed.url}`);
  return reported;
}

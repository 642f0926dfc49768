import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { Match } from '#shared/store/match-schema.ts';
import type { FeedStateStore, MatchBatches } from '#shared/store/store-ports.ts';
import { FeedStateBook } from './feed-state-book.ts';
import {
  type FeedIngestResult,
  type IngestBooks,
  type IngestDeps,
  pollFeed,
} from './ingest-feed.ts';
import { mapBounded } from './map-bounded.ts';
import { MatchBook } from './match-book.ts';

/** The `newswatch run --json` summary object (the design's contract). */
export interface SweepSummary {
  feeds: number;
  fetched: number;
  notModified: number;
  /** Feeds skipped because they are disabled or backing off. */
  skipped: number;
  failed: { url: string; error: string }[];
  items: number;
  newItems: number;
  matches: number;
  alerts: number;
  durationMs: number;
}

export interface SweepDeps extends IngestDeps {
  store: Pick<FeedStateStore, 'getFeedStates' | 'putFeedStates'> & MatchBatches;
  /** Feeds polled at once; per-host politeness is the poller's job. */
  concurrency: number;
  /** Alerts for the matches one feed stored; returns how many alerts went out. */
  alert?: (matches: Match[]) => Promise<number>;
  /**
   * Called as each feed finishes, and once more for a feed whose state could not be written at
   * the end of the sweep (its result then failed with code STORE).
   */
  onFeedDone?: (result: FeedIngestResult, feed: FeedSpec) => void;
}

/**
 * One sweep over a feed list: every feed ingested with bounded concurrency, alerts raised as each
 * feed's matches are stored. The feed states are read in batches first and written in batches
 * behind the polls; a feed whose state could not be written in the end is reported failed (STORE),
 * so a caller that retries failures polls it again. The matches of many polls are stored together
 * (match-book.ts), and a feed's state is written only once its matches are. One feed's failure,
 * hang or crash never stops the others.
 */
export async function runSweep(feeds: FeedSpec[], deps: SweepDeps): Promise<SweepSummary> {
  const started = Date.now();
  const states = new FeedStateBook(deps.store);
  const loadError = await states.load(feeds.map((feed) => feedIdFor(feed.url))).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (loadError) {
    return summarize(
      feeds.map((feed) => storeFailure(feed, loadError)),
      Date.now() - started,
    );
  }
  const matches = new MatchBook(deps.store);
  // A feed's slot is free once it is polled; its matches are stored with other polls' and its
  // alerts go out once they are.
  const finishing = new Array<Promise<SweepFeedResult>>(feeds.length);
  await mapBounded(feeds, deps.concurrency, async (feed, index) => {
    const { stored } = await pollSafely(feed, deps, { states, matches });
    finishing[index] = stored.then((result) => finish(result, feed, deps));
    // The poll that fills a batch waits for it, so a store slower than the polls holds them back
    // instead of batches piling up.
    if (matches.full) await matches.flush();
  });
  await matches.flush();
  const results = await Promise.all(finishing);
  await states.flush().catch((error: unknown) => {
    const unsaved = new Set(states.unsavedFeedIds());
    results.forEach((result, index) => {
      const feed = feeds[index];
      if (!feed || !unsaved.has(result.feedId) || result.outcome === 'failed') return;
      const failed = { ...storeFailure(feed, error as Error), matchCount: result.matchCount };
      results[index] = failed;
      deps.onFeedDone?.(failed, feed);
    });
  });
  return summarize(results, Date.now() - started);
}

/** Alerts for a feed's stored matches, then reports it; only the count of its matches stays. */
async function finish(
  result: SweepFeedResult,
  feed: FeedSpec,
  deps: SweepDeps,
): Promise<SweepFeedResult> {
  if (deps.alert) {
    const alertWorthy = result.matches.filter((match) => match.alert);
    if (alertWorthy.length > 0)
      result.alertsSent = await alertSafely(deps.alert, alertWorthy, result);
  }
  deps.onFeedDone?.(result, feed);
  // Holding every match to the end of a large sweep would grow memory with the number of feeds.
  return { ...result, matches: [], matchCount: result.matches.length };
}

type SweepFeedResult = FeedIngestResult & { alertsSent?: number; matchCount?: number };

/** Polls a feed; a store failure, in the poll or once its matches are stored, fails it alone. */
async function pollSafely(
  feed: FeedSpec,
  deps: IngestDeps,
  books: IngestBooks,
): Promise<{ stored: Promise<SweepFeedResult> }> {
  const failed = (error: unknown) => storeFailure(feed, error as Error);
  try {
    const { stored } = await pollFeed(feed, deps, books);
    return { stored: stored.catch(failed) };
  } catch (error) {
    return { stored: Promise.resolve(failed(error)) };
  }
}

function storeFailure(feed: FeedSpec, error: Error): SweepFeedResult {
  return {
    feedId: feedIdFor(feed.url),
    url: feed.url,
    outcome: 'failed',
    items: 0,
    newItems: 0,
    matches: [],
    itemErrors: [],
    error: { code: 'STORE', message: error.message },
  };
}

async function alertSafely(
  alert: (matches: Match[]) => Promise<number>,
  matches: Match[],
  result: SweepFeedResult,
): Promise<number> {
  try {
    return await alert(matches);
  } catch (error) {
    // The matches are stored with alerted=false, so the next sweep's catch-up retries them.
    result.itemErrors.push({ itemId: '(alerts)', message: (error as Error).message });
    return 0;
  }
}

function summarize(results: SweepFeedResult[], durationMs: number): SweepSummary {
  const summary: SweepSummary = {
    feeds: results.length,
    fetched: 0,
    notModified: 0,
    skipped: 0,
    failed: [],
    items: 0,
    newItems: 0,
    matches: 0,
    alerts: 0,
    durationMs,
  };
  for (const result of results) {
    if (result.outcome === 'fetched') summary.fetched++;
    if (result.outcome === 'not-modified') summary.notModified++;
    if (result.outcome === 'skipped') summary.skipped++;
    if (result.outcome === 'failed' && result.error) {
      summary.failed.push({
        url: result.url,
        error: `${result.error.code}: ${result.error.message}`,
      });
    }
    summary.items += result.items;
    summary.newItems += result.newItems;
    summary.matches += result.matchCount ?? result.matches.length;
    summary.alerts += result.alertsSent ?? 0;
  }
  return summary;
}

import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { NormalizedItem } from '#shared/feeds/feed-item.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller, PollResult } from '#shared/feeds/feed-poller.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import type { Match } from '#shared/store/match-schema.ts';
import type { FeedStateStore, MatchStore, SeenLedger } from '#shared/store/store-ports.ts';
import {
  afterFailure,
  afterSuccess,
  asFeedError,
  initialFeedState,
  mayPollNow,
  needsUnconditionalFetch,
} from './feed-health.ts';
import type { StoryAssigner } from './story-assigner.ts';

export interface IngestDeps {
  poller: FeedPoller;
  store: FeedStateStore & SeenLedger & Pick<MatchStore, 'putMatch'>;
  scorer: Scorer;
  stories: StoryAssigner;
  now?: () => Date;
}

export type IngestOutcome = 'fetched' | 'not-modified' | 'failed' | 'skipped';

export interface FeedIngestResult {
  feedId: string;
  url: string;
  outcome: IngestOutcome;
  /** Items in the feed document (0 unless fetched). */
  items: number;
  /** Items never seen before, in this feed or any other. */
  newItems: number;
  /** Matches stored by this poll, in feed order. */
  matches: Match[];
  error?: { code: string; message: string };
  /** Items that could not be scored; the rest went on. */
  itemErrors: { itemId: string; message: string }[];
}

const SUMMARY_LIMIT = 2000;

/**
 * Polls one feed and stores what is new.
 * 1. Skip a disabled or backing-off feed.
 * 2. Poll (conditional GET; unconditional now and then); a feed failure is recorded, not thrown.
 * 3. Keep only items the ledger has never seen, score them, store matches (idempotent puts).
 * 4. Mark the new items seen last, so a crash before this point re-does the work instead of losing it.
 * 5. Save the feed state. Store failures are thrown so the caller retries the whole feed.
 */
export async function ingestFeed(feed: FeedSpec, deps: IngestDeps): Promise<FeedIngestResult> {
  const now = deps.now ?? (() => new Date());
  const feedId = feedIdFor(feed.url);
  const state =
    (await deps.store.getFeedState(feedId)) ?? initialFeedState(feedId, feed.url, feed.name);
  const result: FeedIngestResult = {
    feedId,
    url: feed.url,
    outcome: 'skipped',
    items: 0,
    newItems: 0,
    matches: [],
    itemErrors: [],
  };
  const startedAt = now();
  if (!mayPollNow(state, startedAt)) return result;

  const unconditional = needsUnconditionalFetch(state, startedAt);
  let polled: PollResult;
  try {
    polled = await deps.poller.poll({
      feed,
      previous: { etag: state.etag, lastModified: state.lastModified, bodyHash: state.bodyHash },
      unconditional,
    });
  } catch (error) {
    const feedError = asFeedError(error, feed.url);
    await deps.store.putFeedState(afterFailure(state, feedError, now()));
    return {
      ...result,
      outcome: 'failed',
      error: { code: feedError.code, message: feedError.message },
    };
  }

  if (polled.kind === 'not-modified') {
    const next = afterSuccess(
      state,
      { ...polled, notModified: true, unconditional: false, newItems: 0, newMatches: 0 },
      now(),
    );
    await deps.store.putFeedState(next);
    return { ...result, outcome: 'not-modified' };
  }

  result.outcome = 'fetched';
  result.items = polled.items.length;
  const outlet = feed.name ?? polled.feed.title ?? new URL(feed.url).host;
  const fresh = await newItemsOf(polled.items, deps.store);
  result.newItems = fresh.length;

  for (const item of fresh) {
    const match = await scoreAndStore(item, outlet, feed.url, deps, now, result);
    if (match) result.matches.push(match);
  }
  await deps.store.markSeen(fresh.map((item) => ({ itemId: item.id, keys: item.dedupeKeys })));
  await deps.store.putFeedState(
    afterSuccess(
      { ...state, name: feed.name ?? state.name ?? polled.feed.title },
      {
        ...polled,
        notModified: false,
        unconditional,
        newItems: fresh.length,
        newMatches: result.matches.length,
      },
      now(),
    ),
  );
  return result;
}

async function newItemsOf(items: NormalizedItem[], ledger: SeenLedger): Promise<NormalizedItem[]> {
  if (items.length === 0) return [];
  // The same story can appear twice in one document; the first copy wins.
  const unique = new Map<string, NormalizedItem>();
  for (const item of items) if (!unique.has(item.id)) unique.set(item.id, item);
  const unseen = await ledger.filterUnseen(
    [...unique.values()].map((item) => ({ itemId: item.id, keys: item.dedupeKeys })),
  );
  return [...unique.values()].filter((item) => unseen.has(item.id));
}

async function scoreAndStore(
  item: NormalizedItem,
  outlet: string,
  feedUrl: string,
  deps: IngestDeps,
  now: () => Date,
  result: FeedIngestResult,
): Promise<Match | undefined> {
  let scored: ReturnType<Scorer['score']>;
  try {
    scored = deps.scorer.score({ title: item.title, summary: item.summary, content: item.content });
  } catch (error) {
    result.itemErrors.push({ itemId: item.id, message: (error as Error).message });
    return undefined;
  }
  if (!scored.match) return undefined;

  const storedAt = now().toISOString();
  const summary = item.summary.slice(0, SUMMARY_LIMIT);
  const story = await deps.stories.assign({
    matchId: item.id,
    feed: outlet,
    title: item.title,
    summary,
    link: item.link,
    published: item.published,
    storedAt,
  });
  const match: Match = {
    id: item.id,
    title: item.title,
    link: item.link,
    summary,
    feed: outlet,
    feedUrl,
    published: item.published,
    storedAt,
    score: scored.score,
    alert: scored.alert,
    facets: scored.facets,
    terms: scored.terms,
    explanation: scored.explanation,
    profileVersion: deps.scorer.profileVersion,
    storyId: story.storyId,
    alsoReportedBy: [],
    alerted: false,
    language: item.language,
  };
  const written = await deps.store.putMatch(match);
  return written === 'created' ? match : undefined;
}

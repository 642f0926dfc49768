import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { NormalizedItem } from '#shared/feeds/feed-item.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller, PollResult } from '#shared/feeds/feed-poller.ts';
import type { ScoreResult, Scorer } from '#shared/profile/score-types.ts';
import type { Match } from '#shared/store/match-schema.ts';
import type { FeedStateStore, MatchBatches } from '#shared/store/store-ports.ts';
import {
  afterFailure,
  afterSuccess,
  asFeedError,
  initialFeedState,
  mayPollNow,
  mustRecordNotModified,
  needsUnconditionalFetch,
} from './feed-health.ts';
import { itemDigest, recordSeen, seenDigests } from './feed-seen-items.ts';
import { FeedStateBook } from './feed-state-book.ts';
import { ownCopy } from './own-copy.ts';
import type { StoryAssigner } from './story-assigner.ts';

export interface IngestDeps {
  poller: FeedPoller;
  store: FeedStateStore & MatchBatches;
  scorer: Scorer;
  stories: StoryAssigner;
  now?: () => Date;
  /** The sweep's feed states (batched reads and writes); without it the feed's own are used. */
  states?: FeedStateBook;
}

export type IngestOutcome = 'fetched' | 'not-modified' | 'failed' | 'skipped';

export interface FeedIngestResult {
  feedId: string;
  url: string;
  outcome: IngestOutcome;
  /** Items in the feed document (0 unless fetched). */
  items: number;
  /** Items this feed had not shown before (each scored; one already stored from another feed is not stored again). */
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
 * 3. Score the items this feed has not shown before (its state keeps their digests); nothing is
 *    written for an item that does not match.
 * 4. Keep the matches no feed stored before (the seen ledger), assign their stories and store
 *    them in batches; mark them seen last, so a crash before that re-does the work instead of
 *    losing it.
 * 5. Record the feed state (written in batches by the book; a run of 304s only now and then).
 *    Store failures are thrown so the caller retries the whole feed.
 */
export async function ingestFeed(feed: FeedSpec, deps: IngestDeps): Promise<FeedIngestResult> {
  const book = deps.states ?? new FeedStateBook(deps.store);
  const feedId = feedIdFor(feed.url);
  await book.load([feedId]);
  const result = await pollAndStore(feed, feedId, book, deps);
  if (!deps.states) await book.flush();
  return result;
}

async function pollAndStore(
  feed: FeedSpec,
  feedId: string,
  book: FeedStateBook,
  deps: IngestDeps,
): Promise<FeedIngestResult> {
  const now = deps.now ?? (() => new Date());
  const stored = book.get(feedId);
  const state = stored ?? initialFeedState(feedId, feed.url, feed.name);
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
    await book.record(afterFailure(state, feedError, now()));
    return {
      ...result,
      outcome: 'failed',
      error: { code: feedError.code, message: feedError.message },
    };
  }

  if (polled.kind === 'not-modified') {
    const at = now();
    const next = afterSuccess(
      state,
      { ...polled, notModified: true, unconditional: false, newItems: 0, newMatches: 0 },
      at,
    );
    if (!stored || mustRecordNotModified(stored, next, at)) await book.record(next);
    return { ...result, outcome: 'not-modified' };
  }

  result.outcome = 'fetched';
  result.items = polled.items.length;
  const outlet = feed.name ?? polled.feed.title ?? new URL(feed.url).host;
  const { fresh, digests } = newToFeed(polled.items, state.seenItems);
  result.newItems = fresh.length;

  const matched: { item: NormalizedItem; scored: ScoreResult }[] = [];
  const failed = new Set<string>();
  for (const item of fresh) {
    try {
      const scored = deps.scorer.score({
        title: item.title,
        summary: item.summary,
        content: item.content,
      });
      if (scored.match) matched.push({ item, scored });
    } catch (error) {
      failed.add(item.id);
      result.itemErrors.push({ itemId: item.id, message: (error as Error).message });
    }
  }
  result.matches = await storeMatches(matched, feedId, outlet, feed.url, book, deps, now);

  await book.record(
    afterSuccess(
      {
        ...state,
        name: feed.name ?? state.name ?? ownCopy(polled.feed.title),
        // An item that could not be scored stays unseen, so the next poll tries it again.
        seenItems: recordSeen(
          state.seenItems,
          digests.filter((entry) => !failed.has(entry.itemId)).map((entry) => entry.digest),
        ),
      },
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

/** The document's distinct items this feed has not shown before, and every item's digest. */
function newToFeed(
  items: NormalizedItem[],
  seenItems: string | undefined,
): { fresh: NormalizedItem[]; digests: { itemId: string; digest: string }[] } {
  const seen = seenDigests(seenItems);
  const fresh: NormalizedItem[] = [];
  const digests: { itemId: string; digest: string }[] = [];
  // The same story can appear twice in one document; the first copy wins.
  const inDocument = new Set<string>();
  for (const item of items) {
    if (inDocument.has(item.id)) continue;
    inDocument.add(item.id);
    const digest = itemDigest(item.id);
    digests.push({ itemId: item.id, digest });
    if (!seen.has(digest)) fresh.push(item);
  }
  return { fresh, digests };
}

/**
 * Stores the matches no feed stored before, in feed order: one batched read of the ledger and
 * the stored matches, story assignment, then the match items with their story members; their
 * index items and ledger marks go to the book, which writes them with other feeds' in full batches.
 */
async function storeMatches(
  matched: { item: NormalizedItem; scored: ScoreResult }[],
  feedId: string,
  outlet: string,
  feedUrl: string,
  book: FeedStateBook,
  deps: IngestDeps,
  now: () => Date,
): Promise<Match[]> {
  if (matched.length === 0) return [];
  const entries = matched.map(({ item }) => ({ itemId: item.id, keys: item.dedupeKeys }));
  const { fresh, unfinished } = await deps.store.checkNewMatches(entries);
  const matches: Match[] = [];
  for (const { item, scored } of matched) {
    if (fresh.has(item.id)) matches.push(await matchOf(item, scored, outlet, feedUrl, deps, now));
  }
  const members = deps.stories.takeMembers?.() ?? [];
  try {
    await deps.store.writeMatches(matches, members);
  } catch (error) {
    deps.stories.returnMembers?.(members);
    throw error;
  }
  const finished = new Set(unfinished.map((match) => match.id));
  await book.recordIndex(feedId, {
    matches,
    unfinished,
    seen: entries.filter((entry) => fresh.has(entry.itemId) || finished.has(entry.itemId)),
  });
  return matches;
}

async function matchOf(
  item: NormalizedItem,
  scored: ScoreResult,
  outlet: string,
  feedUrl: string,
  deps: IngestDeps,
  now: () => Date,
): Promise<Match> {
  const storedAt = now().toISOString();
  // The story assigner keeps these for its whole window: copies, not views on the document.
  const title = ownCopy(item.title);
  const link = ownCopy(item.link);
  const feed = ownCopy(outlet);
  const published = ownCopy(item.published);
  const summary = ownCopy(item.summary.slice(0, SUMMARY_LIMIT));
  const story = await deps.stories.assign({
    matchId: item.id,
    feed,
    title,
    summary,
    link,
    published,
    storedAt,
  });
  return {
    id: item.id,
    title,
    link,
    summary,
    feed,
    feedUrl,
    published,
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
}

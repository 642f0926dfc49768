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
import { MatchBatch, type MatchCandidate } from './match-batch.ts';
import type { StoryAssigner } from './story-assigner.ts';

export interface IngestDeps {
  poller: FeedPoller;
  store: FeedStateStore & MatchBatches;
  scorer: Scorer;
  stories: StoryAssigner;
  now?: () => Date;
  /** The sweep's feed states (batched reads and writes); without it the feed's own are used. */
  states?: FeedStateBook;
  /** The sweep's match batch, shared by its polls; without it the feed's matches go alone. */
  matches?: MatchBatch;
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

/** A polled feed whose matches and state are still being stored with other polls'. */
export interface PolledFeed {
  /** Settles once the feed's matches and state are recorded; rejects on a store failure. */
  stored: Promise<FeedIngestResult>;
}

/** What pollFeed needs: the ingest deps with the sweep's shared state book and match batch. */
export type SweepIngestDeps = IngestDeps & Required<Pick<IngestDeps, 'states' | 'matches'>>;

/** Polls one feed and stores what is new (pollFeed for one feed, with its own batches). */
export async function ingestFeed(feed: FeedSpec, deps: IngestDeps): Promise<FeedIngestResult> {
  const states = deps.states ?? new FeedStateBook(deps.store);
  const matches = deps.matches ?? new MatchBatch(deps.store, deps.stories);
  await states.load([feedIdFor(feed.url)]);
  const { stored } = await pollFeed(feed, { ...deps, states, matches });
  await matches.flush();
  const result = await stored;
  if (!deps.states) await states.flush();
  return result;
}

/**
 * Polls one feed and hands what is new to the sweep's batches; resolves when the poll is done
 * (so the next feed can be polled), with the promise of the feed's stored outcome.
 * 1. Skip a disabled or backing-off feed.
 * 2. Poll (conditional GET; unconditional now and then); a feed failure is recorded, not thrown.
 * 3. Score the items this feed has not shown before (its state keeps their digests); nothing is
 *    written for an item that does not match.
 * 4. Queue the matches in the sweep's match batch, which keeps the ones no feed stored before
 *    (the seen ledger), assigns their stories and stores them with other polls' matches; the
 *    ledger marks go last, so a crash before that re-does the work instead of losing it.
 * 5. Once they are stored, record the feed state (written in batches by the book; a run of 304s
 *    only now and then). A store failure rejects `stored`, so the caller retries the whole feed.
 */
export async function pollFeed(feed: FeedSpec, deps: SweepIngestDeps): Promise<PolledFeed> {
  const book = deps.states;
  const feedId = feedIdFor(feed.url);
  const now = deps.now ?? (() => new Date());
  const known = book.get(feedId);
  const state = known ?? initialFeedState(feedId, feed.url, feed.name);
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
  if (!mayPollNow(state, startedAt)) return { stored: Promise.resolve(result) };

  const unconditional = needsUnconditionalFetch(state, startedAt);
  let polled: PollResult;
  try {
    polled = await deps.poller.poll({
      feed,
      previous: { etag: state.etag, lastModified: state.lastModified, bodyHash: state.bodyHash },
      unconditional,
      knownEntries: seenDigests(state.seenEntries),
    });
  } catch (error) {
    const feedError = asFeedError(error, feed.url);
    const failed: FeedIngestResult = {
      ...result,
      outcome: 'failed',
      error: { code: feedError.code, message: feedError.message },
    };
    return { stored: book.record(afterFailure(state, feedError, now())).then(() => failed) };
  }

  if (polled.kind === 'not-modified') {
    const at = now();
    const next = afterSuccess(
      state,
      { ...polled, notModified: true, unconditional: false, newItems: 0, newMatches: 0 },
      at,
    );
    const notModified: FeedIngestResult = { ...result, outcome: 'not-modified' };
    if (!known || mustRecordNotModified(known, next, at)) {
      return { stored: book.record(next).then(() => notModified) };
    }
    return { stored: Promise.resolve(notModified) };
  }

  result.outcome = 'fetched';
  const unchanged = polled.unchangedItems ?? 0;
  result.items = polled.items.length + unchanged;
  const outlet = feed.name ?? polled.feed.title ?? new URL(feed.url).host;
  const { fresh, digests } = newToFeed(polled.items, state.seenItems);
  result.newItems = fresh.length;

  const candidates: MatchCandidate[] = [];
  const failed = new Set<string>();
  for (const item of fresh) {
    try {
      const scored = deps.scorer.score({
        title: item.title,
        summary: item.summary,
        content: item.content,
      });
      if (scored.match) candidates.push(candidateOf(item, scored, outlet, feed.url, deps, now));
    } catch (error) {
      failed.add(item.id);
      result.itemErrors.push({ itemId: item.id, message: (error as Error).message });
    }
  }
  const title = polled.feed.title;
  const seenItems = recordSeen(
    state.seenItems,
    // An item that could not be scored stays unseen, so the next poll tries it again.
    digests.filter((entry) => !failed.has(entry.itemId)).map((entry) => entry.digest),
    digests.length + unchanged,
  );
  // An entry with an item that could not be scored is not recorded either, so it is read again.
  const seenEntries = polled.entries && failed.size === 0 ? polled.entries.join('') : undefined;
  const { validators, httpStatus } = polled;
  const storedResult = deps.matches.add(candidates).then(async (matches) => {
    result.matches = matches;
    await book.record(
      afterSuccess(
        { ...state, name: feed.name ?? state.name ?? title, seenItems, seenEntries },
        {
          validators,
          httpStatus,
          notModified: false,
          unconditional,
          newItems: fresh.length,
          newMatches: matches.length,
        },
        now(),
      ),
    );
    return result;
  });
  // The caller handles a failure once this returns; marked handled now, so one that comes while
  // the poll waits below is not taken for an unhandled rejection.
  storedResult.catch(() => undefined);
  await deps.matches.caughtUp();
  return { stored: storedResult };
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
 * A matching item, kept for the batch that stores it; its story is assigned only once the batch
 * knows it is new.
 */
function candidateOf(
  item: NormalizedItem,
  scored: ScoreResult,
  outlet: string,
  feedUrl: string,
  deps: IngestDeps,
  now: () => Date,
): MatchCandidate {
  const { id, title, link, published, language } = item;
  const summary = item.summary.slice(0, SUMMARY_LIMIT);
  return {
    entry: { itemId: id, keys: item.dedupeKeys },
    build: async () => {
      const storedAt = now().toISOString();
      const story = await deps.stories.assign({
        matchId: id,
        feed: outlet,
        title,
        summary,
        link,
        published,
        storedAt,
      });
      return {
        id,
        title,
        link,
        summary,
        feed: outlet,
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
        language,
      };
    },
  };
}

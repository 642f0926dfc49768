import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { NormalizedItem } from '#shared/feeds/feed-item.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller, PollResult } from '#shared/feeds/feed-poller.ts';
import type { ScoreResult, Scorer } from '#shared/profile/score-types.ts';
import type { Match } from '#shared/store/match-schema.ts';
import type { FeedStateStore } from '#shared/store/store-ports.ts';
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
import type { MatchBook, MatchCandidate } from './match-book.ts';
import type { StoryAssigner } from './story-assigner.ts';

export interface IngestDeps {
  poller: FeedPoller;
  scorer: Scorer;
  stories: StoryAssigner;
  now?: () => Date;
}

/** The sweep's books, which batch a poll's reads and writes with other feeds'. */
export interface IngestBooks {
  states: Pick<FeedStateStore, 'getFeedStates' | 'putFeedStates'>;
  matches: Pick<MatchBook, 'add'>;
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
 * Polls one feed and stores what is new:
 * 1. Read the feed's state; skip a disabled or backing-off feed.
 * 2. Poll (conditional GET; unconditional now and then); a feed failure is recorded, not thrown.
 * 3. Score the items this feed has not shown before (its state keeps their digests); nothing is
 *    written for an item that does not match.
 * 4. Hand the matches to the sweep's match book, which stores those no feed stored before with
 *    other polls' (match-book.ts); the ledger marks go last, so a crash before that re-does the
 *    work instead of losing it.
 * 5. Once they are stored, record the feed state (a run of 304s only now and then).
 * Resolves once the feed is polled and scored; `stored` resolves with its result once its matches
 * are stored and its state recorded. A store failure rejects either, so the caller retries the
 * whole feed.
 */
export async function pollFeed(
  feed: FeedSpec,
  deps: IngestDeps,
  books: IngestBooks,
): Promise<{ stored: Promise<FeedIngestResult> }> {
  const feedId = feedIdFor(feed.url);
  const now = deps.now ?? (() => new Date());
  const [known] = await books.states.getFeedStates([feedId]);
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
    });
  } catch (error) {
    const feedError = asFeedError(error, feed.url);
    const failed: FeedIngestResult = {
      ...result,
      outcome: 'failed',
      error: { code: feedError.code, message: feedError.message },
    };
    // The feed failed either way: a state that cannot be written only delays its backoff, and
    // the feed's own error says more than the store's.
    await books.states
      .putFeedStates([afterFailure(state, feedError, now())])
      .catch(() => undefined);
    return { stored: Promise.resolve(failed) };
  }

  if (polled.kind === 'not-modified') {
    const at = now();
    const next = afterSuccess(
      state,
      { ...polled, notModified: true, unconditional: false, newItems: 0, newMatches: 0 },
      at,
    );
    const notModified: FeedIngestResult = { ...result, outcome: 'not-modified' };
    if (!known || mustRecordNotModified(known, next, at)) await books.states.putFeedStates([next]);
    return { stored: Promise.resolve(notModified) };
  }

  result.outcome = 'fetched';
  result.items = polled.items.length;
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
        language: item.language,
      });
      if (scored.match) candidates.push(candidateOf(item, scored, outlet, feed.url, deps, now));
    } catch (error) {
      failed.add(item.id);
      result.itemErrors.push({ itemId: item.id, message: (error as Error).message });
    }
  }
  // The parser's strings are slices of the feed document, and a sweep keeps every feed state to
  // its end: a name kept as a slice would keep the whole document alive that long, so a name
  // taken from the document is a copy of its characters.
  const name =
    feed.name ?? state.name ?? (polled.feed.title && Buffer.from(polled.feed.title).toString());
  const seenItems = recordSeen(
    state.seenItems,
    // An item that could not be scored stays unseen, so the next poll tries it again.
    digests.filter((entry) => !failed.has(entry.itemId)).map((entry) => entry.digest),
    digests.length,
  );
  const outcome = {
    validators: polled.validators,
    httpStatus: polled.httpStatus,
    notModified: false,
    unconditional,
    newItems: fresh.length,
  };
  const stored = books.matches.add(candidates).then(async (matches) => {
    result.matches = matches;
    const next = { ...state, name, seenItems };
    await books.states.putFeedStates([
      afterSuccess(next, { ...outcome, newMatches: matches.length }, now()),
    ]);
    return result;
  });
  return { stored };
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

/** A matching item; its story is assigned only once it is known to be new. */
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
      const { storyId, member } = await deps.stories.assign({
        matchId: id,
        feed: outlet,
        title,
        summary,
        link,
        published,
        storedAt,
        lang: scored.lang,
        facets: scored.facets,
      });
      const match: Match = {
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
        storyId,
        alsoReportedBy: [],
        alerted: false,
        language,
        lang: scored.lang,
      };
      return { match, member };
    },
  };
}

import { FeedError } from '#shared/feeds/feed-error.ts';
import type { FeedValidators } from '#shared/feeds/feed-poller.ts';
import type { FeedState } from '#shared/store/feed-state-schema.ts';

/** Consecutive failures after which a feed is flagged for a person to look at. */
export const NEEDS_ATTENTION_AFTER = 5;
const BACKOFF_BASE_MS = 5 * 60_000;
const BACKOFF_MAX_MS = 12 * 60 * 60_000;
/** Servers that never answer 304, or keep a stale ETag, still get a full fetch this often. */
export const UNCONDITIONAL_EVERY_MS = 24 * 60 * 60_000;

/**
 * A run of 304s is written at most this often: each write is billed, and between two writes only
 * the poll time and the counters move (so they lag by up to this much; the 304 itself is safe).
 */
export const NOT_MODIFIED_RECORD_EVERY_MS = 60 * 60_000;

/** A fresh state for a feed newswatch has never polled. */
export function initialFeedState(feedId: string, url: string, name?: string): FeedState {
  return {
    feedId,
    url,
    ...(name ? { name } : {}),
    status: 'new',
    consecutiveFailures: 0,
    fetchCount: 0,
    notModifiedCount: 0,
    errorCount: 0,
    itemsSeen: 0,
    matchesFound: 0,
  };
}

/** Whether this poll should ignore validators and the body hash. */
export function needsUnconditionalFetch(state: FeedState, now: Date): boolean {
  if (!state.lastUnconditionalAt) return true;
  return now.getTime() - Date.parse(state.lastUnconditionalAt) >= UNCONDITIONAL_EVERY_MS;
}

/** Whether the state after a 304 must be written now, or may wait for a later poll. */
export function mustRecordNotModified(stored: FeedState, next: FeedState, now: Date): boolean {
  if (stored.status !== 'ok' || !stored.lastFetchAt) return true;
  if (
    stored.etag !== next.etag ||
    stored.lastModified !== next.lastModified ||
    stored.bodyHash !== next.bodyHash ||
    stored.name !== next.name
  ) {
    return true;
  }
  return now.getTime() - Date.parse(stored.lastFetchAt) >= NOT_MODIFIED_RECORD_EVERY_MS;
}

/** False while a feed is disabled or backing off (failures, Retry-After). */
export function mayPollNow(state: FeedState, now: Date): boolean {
  if (state.status === 'disabled') return false;
  return !state.nextDueAt || Date.parse(state.nextDueAt) <= now.getTime();
}

/** State after a successful poll, 304 or parsed. */
export function afterSuccess(
  state: FeedState,
  outcome: {
    validators: FeedValidators;
    httpStatus: number;
    notModified: boolean;
    unconditional: boolean;
    newItems: number;
    newMatches: number;
  },
  now: Date,
): FeedState {
  const at = now.toISOString();
  const { etag, lastModified, bodyHash } = outcome.validators;
  return {
    ...state,
    etag: etag ?? state.etag,
    lastModified: lastModified ?? state.lastModified,
    bodyHash: bodyHash ?? state.bodyHash,
    lastFetchAt: at,
    lastSuccessAt: at,
    lastUnconditionalAt: outcome.unconditional ? at : state.lastUnconditionalAt,
    lastHttpStatus: outcome.httpStatus,
    status: 'ok',
    consecutiveFailures: 0,
    nextDueAt: undefined,
    lastErrorCode: undefined,
    lastError: undefined,
    fetchCount: state.fetchCount + 1,
    notModifiedCount: state.notModifiedCount + (outcome.notModified ? 1 : 0),
    itemsSeen: state.itemsSeen + outcome.newItems,
    matchesFound: state.matchesFound + outcome.newMatches,
  };
}

/**
 * State after a failed poll: exponential backoff with jitter, Retry-After honoured, flagged after
 * repeated failures, disabled when the server says the feed is gone.
 */
export function afterFailure(
  state: FeedState,
  error: FeedError,
  now: Date,
  random: () => number = Math.random,
): FeedState {
  const failures = state.consecutiveFailures + 1;
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
  const jittered = backoff * (0.8 + 0.4 * random());
  const retryAfterMs = (error.details.retryAfterSeconds ?? 0) * 1000;
  const waitMs = Math.max(jittered, retryAfterMs);
  const gone = error.code === 'GONE';
  return {
    ...state,
    lastFetchAt: now.toISOString(),
    lastHttpStatus: error.details.httpStatus,
    lastErrorCode: error.code,
    lastError: error.message,
    consecutiveFailures: failures,
    errorCount: state.errorCount + 1,
    fetchCount: state.fetchCount + 1,
    nextDueAt: new Date(now.getTime() + waitMs).toISOString(),
    status: gone ? 'disabled' : failures >= NEEDS_ATTENTION_AFTER ? 'needs-attention' : 'failing',
    disabledReason: gone
      ? `the server answered ${error.details.httpStatus ?? 410}: feed is gone`
      : undefined,
  };
}

/** Any failure of the poller becomes a FeedError, so it counts against that feed only. */
export function asFeedError(error: unknown, feedUrl: string): FeedError {
  if (error instanceof FeedError) return error;
  return new FeedError(
    'INTERNAL',
    `unexpected failure: ${(error as Error)?.message ?? String(error)}`,
    {
      feedUrl,
      cause: error,
    },
  );
}

import { describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import {
  afterFailure,
  afterSuccess,
  asFeedError,
  initialFeedState,
  mayPollNow,
  NEEDS_ATTENTION_AFTER,
  needsUnconditionalFetch,
} from '#shared/sweep/feed-health.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const fresh = () => initialFeedState('f1', 'https://example.com/feed.xml', 'Example');
const midJitter = () => 0.5;

describe('feed health', () => {
  it('backs off exponentially after consecutive failures', () => {
    const error = new FeedError('TIMEOUT', 'timed out');

    const first = afterFailure(fresh(), error, NOW, midJitter);
    const second = afterFailure(first, error, NOW, midJitter);

    const wait1 = Date.parse(first.nextDueAt ?? '') - NOW.getTime();
    const wait2 = Date.parse(second.nextDueAt ?? '') - NOW.getTime();
    expect(wait1).toBe(5 * 60_000);
    expect(wait2).toBe(10 * 60_000);
    expect(second.consecutiveFailures).toBe(2);
    expect(second.status).toBe('failing');
    expect(second.lastErrorCode).toBe('TIMEOUT');
  });

  it('honours a Retry-After longer than the backoff', () => {
    const error = new FeedError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 3600 });

    const state = afterFailure(fresh(), error, NOW, midJitter);

    expect(Date.parse(state.nextDueAt ?? '') - NOW.getTime()).toBe(3_600_000);
    expect(mayPollNow(state, NOW)).toBe(false);
    expect(mayPollNow(state, new Date(NOW.getTime() + 3_600_000))).toBe(true);
  });

  it('flags a feed as needing attention after repeated failures', () => {
    let state = fresh();
    for (let i = 0; i < NEEDS_ATTENTION_AFTER; i++) {
      state = afterFailure(state, new FeedError('HTTP_STATUS', '500', { httpStatus: 500 }), NOW);
    }

    expect(state.status).toBe('needs-attention');
    expect(state.errorCount).toBe(NEEDS_ATTENTION_AFTER);
  });

  it('disables a feed the server says is gone, with the reason', () => {
    const state = afterFailure(fresh(), new FeedError('GONE', 'gone', { httpStatus: 410 }), NOW);

    expect(state.status).toBe('disabled');
    expect(state.disabledReason).toMatch(/410/);
    expect(mayPollNow(state, new Date(NOW.getTime() + 10 * 86_400_000))).toBe(false);
  });

  it('clears failures and keeps new validators after a success', () => {
    const failed = afterFailure(fresh(), new FeedError('TIMEOUT', 'timed out'), NOW);

    const ok = afterSuccess(
      failed,
      {
        validators: { etag: '"v2"', bodyHash: 'abc' },
        httpStatus: 304,
        notModified: true,
        unconditional: false,
        newItems: 0,
        newMatches: 0,
      },
      NOW,
    );

    expect(ok.status).toBe('ok');
    expect(ok.consecutiveFailures).toBe(0);
    expect(ok.nextDueAt).toBeUndefined();
    expect(ok.etag).toBe('"v2"');
    expect(ok.notModifiedCount).toBe(1);
  });

  it('asks for an unconditional fetch once a day', () => {
    const state = { ...fresh(), lastUnconditionalAt: '2026-11-29T00:00:00Z' };

    expect(needsUnconditionalFetch(fresh(), NOW)).toBe(true);
    expect(needsUnconditionalFetch(state, NOW)).toBe(false);
    expect(needsUnconditionalFetch(state, new Date('2026-11-30T00:00:01Z'))).toBe(true);
  });

  it('turns an unexpected poller crash into an INTERNAL feed error', () => {
    const error = asFeedError(new TypeError('boom'), 'https://example.com/feed.xml');

    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/boom/);
  });
});

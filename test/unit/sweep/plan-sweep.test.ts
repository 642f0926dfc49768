import { describe, expect, it } from 'vitest';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { FeedState } from '#shared/store/feed-state-schema.ts';
import { initialFeedState } from '#shared/sweep/feed-health.ts';
import { planDueFeeds } from '#shared/sweep/plan-sweep.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const feed = (url: string) => ({ url, tags: [] });
const stateOf = (url: string, patch: Partial<FeedState>): FeedState => ({
  ...initialFeedState(feedIdFor(url), url),
  ...patch,
});

describe('planDueFeeds', () => {
  it('picks new feeds, feeds whose interval elapsed, and skips backing-off or disabled ones', async () => {
    const feeds = ['a', 'b', 'c', 'd', 'e'].map((name) => feed(`https://${name}.example/feed`));
    const states = [
      stateOf('https://b.example/feed', { lastFetchAt: '2026-11-29T11:40:00Z' }),
      stateOf('https://c.example/feed', { lastFetchAt: '2026-11-29T11:55:00Z' }),
      stateOf('https://d.example/feed', { nextDueAt: '2026-11-29T13:00:00Z' }),
      stateOf('https://e.example/feed', { status: 'disabled' }),
    ];

    const due = await planDueFeeds(feeds, { listFeedStates: async () => states }, 15, NOW);

    expect(due.map((f) => f.url)).toEqual(['https://a.example/feed', 'https://b.example/feed']);
  });

  it('treats a feed polled one tick ago as due despite a slightly early tick', async () => {
    const url = 'https://a.example/feed';
    const states = [stateOf(url, { lastFetchAt: '2026-11-29T11:45:30Z' })];

    const due = await planDueFeeds([feed(url)], { listFeedStates: async () => states }, 15, NOW);

    expect(due).toHaveLength(1);
  });
});

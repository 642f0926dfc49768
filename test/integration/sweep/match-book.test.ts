import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { NormalizedItem } from '#shared/feeds/feed-item.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller } from '#shared/feeds/feed-poller.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';
import { runSweep, type SweepDeps } from '#shared/sweep/run-sweep.ts';
import type { StoryAssigner } from '#shared/sweep/story-assigner.ts';
import { openLoggedStore } from '../support/logged-store.ts';

const NOW = new Date('2026-11-28T08:00:00Z');

function item(id: string, title: string, keys: string[] = [`url:https://news.example/${id}`]) {
  return {
    id,
    feedUrl: 'https://feeds.example/',
    title,
    summary: `${title}. More on this below.`,
    link: `https://news.example/${id}`,
    published: NOW.toISOString(),
    dedupeKeys: keys,
  } satisfies NormalizedItem;
}

/** Serves each feed the items listed for its URL. */
function pollerOf(documents: Map<string, NormalizedItem[]>): FeedPoller {
  return {
    poll: async ({ feed }) => ({
      kind: 'parsed',
      httpStatus: 200,
      validators: { etag: '"v1"' },
      feed: { title: 'Example' },
      items: documents.get(feed.url) ?? [],
      warnings: [],
    }),
  };
}

/** Matches every item whose title does not start with "Off topic". */
const scorer: Scorer = {
  profileVersion: 'test',
  thresholds: { match: 0.5, alert: 0.9 },
  score: ({ title }) => {
    const match = !title.startsWith('Off topic');
    return {
      score: match ? 0.7 : 0.1,
      match,
      alert: false,
      facets: [],
      terms: [],
      explanation: { facets: [], terms: [], notes: [] },
    };
  },
};

/** Each match a story of its own. */
const ownStories: StoryAssigner = {
  assign: async (candidate) => ({
    storyId: candidate.matchId,
    isNew: true,
    member: { ...candidate, storyId: candidate.matchId, signature: '0' },
  }),
};

const feedsNamed = (names: string[]): FeedSpec[] =>
  names.map((name) => ({ url: `https://feeds.example/${name}`, tags: [] }));

describe('match book', () => {
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  let requests: string[] = [];

  beforeAll(async () => {
    // The store reads expiry against its clock: the fixtures' time, not today's.
    ({ store, requests, close } = await openLoggedStore({ now: () => NOW }));
  });
  afterAll(async () => close());

  /** A sweep on the store, with each feed's reported result by URL. */
  async function sweep(feeds: FeedSpec[], deps: Partial<SweepDeps>) {
    const reported = new Map<string, FeedIngestResult>();
    const summary = await runSweep(feeds, {
      poller: pollerOf(new Map()),
      store,
      scorer,
      stories: ownStories,
      concurrency: 4,
      now: () => NOW,
      onFeedDone: (result, feed) => reported.set(feed.url, result),
      ...deps,
    });
    return { summary, reported };
  }

  it("stores many feeds' matches in a few requests, each feed's state only after its matches", async () => {
    const feeds = feedsNamed(Array.from({ length: 60 }, (_, index) => `many-${index}`));
    const documents = new Map(
      feeds.map((feed, index) => [
        feed.url,
        [
          item(`many-${index}-a`, `Story a of feed ${index}`),
          item(`many-${index}-b`, `Story b of feed ${index}`),
        ],
      ]),
    );
    const events: string[] = [];
    const watched = Object.assign(Object.create(store) as DynamoDbStore, {
      storeMatches: async (...args: Parameters<DynamoDbStore['storeMatches']>) => {
        await store.storeMatches(...args);
        events.push(...args[0].map((match) => `matches ${match.feedUrl}`));
      },
      putFeedStates: async (states: Parameters<DynamoDbStore['putFeedStates']>[0]) => {
        events.push(...states.map((state) => `state ${state.url}`));
        await store.putFeedStates(states);
      },
    });
    requests.length = 0;

    const { summary } = await sweep(feeds, { poller: pollerOf(documents), store: watched });

    expect(summary).toMatchObject({ fetched: 60, matches: 120, failed: [] });
    // 120 matches: two batches, each one check (ids and keys within 100 a request at most
    // twice) and its writes; one request per feed would be 60 checks alone.
    expect(requests.filter((name) => name === 'BatchGetItemCommand').length).toBeLessThanOrEqual(
      1 + 2 * 3,
    );
    for (const feed of feeds) {
      const stateAt = events.indexOf(`state ${feed.url}`);
      expect(events.lastIndexOf(`matches ${feed.url}`)).toBeLessThan(stateAt);
    }
    expect(await store.getMatch('many-59-b')).toBeDefined();
  });

  it('fails exactly the feeds whose matches a failed batch held, and stores them on the retry', async () => {
    const feeds = feedsNamed(['outage-a', 'outage-quiet', 'outage-b']);
    const documents = new Map([
      [feeds[0]?.url ?? '', [item('outage-a-1', 'Story from a')]],
      [feeds[1]?.url ?? '', [item('outage-quiet-1', 'Off topic: the weather')]],
      [feeds[2]?.url ?? '', [item('outage-b-1', 'Story from b')]],
    ]);
    const down = Object.assign(Object.create(store) as DynamoDbStore, {
      storeMatches: () => Promise.reject(new Error('table unavailable')),
    });
    const ids = feeds.map((feed) => feedIdFor(feed.url));

    const during = await sweep(feeds, { poller: pollerOf(documents), store: down });
    const statesAfterOutage = (await store.getFeedStates(ids)).map((state) => state.url);
    const after = await sweep(feeds, { poller: pollerOf(documents) });

    expect(during.summary.failed).toEqual([
      { url: feeds[0]?.url, error: 'STORE: table unavailable' },
      { url: feeds[2]?.url, error: 'STORE: table unavailable' },
    ]);
    expect(statesAfterOutage).toEqual([feeds[1]?.url]);
    // Polled again (their digests were never saved) and stored this time; the quiet feed has
    // nothing new.
    expect(after.summary).toMatchObject({ failed: [], matches: 2, newItems: 2 });
    expect(await store.getMatch('outage-b-1')).toBeDefined();
  });

  it('stores an item that feeds of one batch share once, for the first feed', async () => {
    const feeds = feedsNamed(['shared-first', 'shared-second', 'shared-third']);
    const story = item('shared-1', 'The same story on three feeds', ['url:https://news.example/s']);
    const documents = new Map([
      [feeds[0]?.url ?? '', [story]],
      [feeds[1]?.url ?? '', [story, item('shared-2', 'A story of its own')]],
      // Another id, but a dedupe key the first copy has.
      [feeds[2]?.url ?? '', [{ ...story, id: 'shared-1-copy' }]],
    ]);

    const { summary, reported } = await sweep(feeds, {
      poller: pollerOf(documents),
      concurrency: 1,
    });

    expect(summary.matches).toBe(2);
    expect(feeds.map((feed) => reported.get(feed.url)?.matches.map((match) => match.id))).toEqual([
      ['shared-1'],
      ['shared-2'],
      [],
    ]);
    expect(await store.getMatch('shared-1-copy')).toBeUndefined();
  });

  it('puts copies of one story from several feeds of a batch in one story', async () => {
    const feeds = feedsNamed(['copy-one', 'copy-two']);
    const title = 'Central bank raises interest rates by half a point to fight inflation';
    const documents = new Map([
      [feeds[0]?.url ?? '', [item('copy-1', title)]],
      [feeds[1]?.url ?? '', [item('copy-2', `${title} again`)]],
    ]);

    const { reported } = await sweep(feeds, {
      poller: pollerOf(documents),
      stories: createStoryAssigner(store, { now: () => NOW }),
    });

    const [first, second] = feeds.map((feed) => reported.get(feed.url)?.matches[0]);
    expect(second?.storyId).toBe(first?.storyId);
    expect(
      (await store.storyMembers(first?.storyId ?? '')).map((member) => member.matchId),
    ).toEqual(expect.arrayContaining(['copy-1', 'copy-2']));
  });
});

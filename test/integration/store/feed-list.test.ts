import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import {
  DuplicateFeedError,
  FeedInputError,
  FeedNotListedError,
} from '#shared/feeds/feed-list-errors.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { createFeedListService, type FeedListService } from '#shared/feeds/feed-list-service.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const ADDED_AT = new Date('2031-03-04T05:06:07.000Z');
const SEEDS: FeedSpec[] = [
  { url: 'https://zeta.example.com/rss', name: 'Zeta', tags: ['z'] },
  { url: 'https://alpha.example.com/atom.xml', name: 'Alpha', tags: [] },
  // The same feed twice in a hand-written file: listed once.
  { url: 'https://ALPHA.example.com/atom.xml?utm_medium=rss', tags: [] },
];

/** Public for any name but `intranet.example`, which resolves inside the network. */
const resolveHost = async (hostname: string) => [
  { address: hostname === 'intranet.example' ? '10.0.0.7' : '93.184.215.14', family: 4 },
];

describe.each(BACKENDS)('the feed list on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  let seeds: number;
  let feeds: FeedListService;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    store = table.store();
    seeds = 0;
    feeds = createFeedListService({
      store,
      seed: async () => {
        seeds++;
        return SEEDS;
      },
      allowPrivateNetwork: false,
      resolveHost,
      now: () => ADDED_AT,
    });
  });
  afterAll(async () => close());

  it('seeds a store that never held a list once, without duplicates, listed by name', async () => {
    expect(await store.readFeedList()).toBeUndefined();

    const first = await feeds.list();
    const second = await feeds.list();

    expect(first.map((feed) => feed.name)).toEqual(['Alpha', 'Zeta']);
    expect(first[0]).toEqual({
      feedId: feedIdFor('https://alpha.example.com/atom.xml'),
      url: 'https://alpha.example.com/atom.xml',
      name: 'Alpha',
      tags: [],
      addedAt: ADDED_AT.toISOString(),
    });
    expect(second).toEqual(first);
    expect(seeds).toBe(1);
  });

  it('adds a feed with its name and tags cleaned', async () => {
    const added = await feeds.add({
      url: 'https://beta.example.com/feed',
      name: ' Beta\u202e  News\u0000 ',
      tags: ['  world\u200b', 'eu'],
    });

    expect(added).toMatchObject({ name: 'Beta News', tags: ['world', 'eu'] });
    expect((await feeds.list()).map((feed) => feed.name)).toEqual(['Alpha', 'Beta News', 'Zeta']);
  });

  it('refuses a duplicate by canonical URL, whatever its case, fragment or tracking parameters', async () => {
    await expect(
      feeds.add({ url: 'https://BETA.example.com:443/feed?utm_source=x#latest' }),
    ).rejects.toThrow(DuplicateFeedError);
    expect(await feeds.list()).toHaveLength(3);
  });

  it.each([
    [{ url: 'javascript:alert(1)' }, 'url'],
    [{ url: 'https://user:secret@example.com/feed' }, 'url'],
    [{ url: `https://example.com/${'a'.repeat(2100)}` }, 'url'],
    [{ url: 'http://[::1]/feed' }, 'url'],
    [{ url: 'http://intranet.example/feed' }, 'url'],
    [{ url: 'https://ok.example.com/f', name: '\u0007' }, 'name'],
    [
      { url: 'https://ok.example.com/f', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      'tags',
    ],
    [{ url: 'https://ok.example.com/f', extra: 1 }, '(feed)'],
    [{}, 'url'],
  ])('refuses %j naming %s', async (input, field) => {
    const refused = await feeds.add(input).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(FeedInputError);
    expect((refused as FeedInputError).problems[0]?.field).toBe(field);
  });

  it('allows private addresses only when configured to', async () => {
    const local = createFeedListService({
      store,
      seed: async () => [],
      allowPrivateNetwork: true,
      resolveHost,
    });

    const added = await local.add({ url: 'http://intranet.example/feed' });

    expect(added.url).toBe('http://intranet.example/feed');
    await local.remove(added.feedId);
  });

  it('removes a feed by URL or id, with its state, and refuses one not listed', async () => {
    const beta = (await feeds.list()).find((feed) => feed.name === 'Beta News');
    await store.putFeedStates([
      {
        feedId: beta?.feedId ?? '',
        url: beta?.url ?? '',
        status: 'ok',
        consecutiveFailures: 0,
        fetchCount: 1,
        notModifiedCount: 0,
        errorCount: 0,
        itemsSeen: 3,
        matchesFound: 0,
      },
    ]);

    await feeds.remove('HTTPS://Beta.Example.com/feed#x');
    await feeds.remove(feedIdFor('https://zeta.example.com/rss'));

    expect((await feeds.list()).map((feed) => feed.name)).toEqual(['Alpha']);
    expect(await store.getFeedStates([beta?.feedId ?? ''])).toEqual([]);
    await expect(feeds.remove('https://beta.example.com/feed')).rejects.toThrow(FeedNotListedError);
  });

  it('imports what is new, reports duplicates and refusals, and never reseeds an emptied list', async () => {
    const result = await feeds.importFeeds([
      { url: 'https://alpha.example.com/atom.xml', tags: [] },
      { url: 'https://gamma.example.com/rss', name: 'Gamma', tags: ['g'] },
      { url: 'http://intranet.example/rss', tags: [] },
      { url: 'https://gamma.example.com/rss#again', tags: [] },
    ]);

    expect(result.added.map((feed) => feed.url)).toEqual(['https://gamma.example.com/rss']);
    expect(result.duplicates.map((feed) => feed.url)).toEqual([
      'https://alpha.example.com/atom.xml',
      'https://gamma.example.com/rss#again',
    ]);
    expect(result.refused).toEqual([
      { url: 'http://intranet.example/rss', reason: expect.stringContaining('10.0.0.7') },
    ]);

    for (const feed of await feeds.list()) await feeds.remove(feed.feedId);
    expect(await feeds.list()).toEqual([]);
    expect(seeds).toBe(1);
  });
});

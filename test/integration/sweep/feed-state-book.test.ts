import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller } from '#shared/feeds/feed-poller.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { FeedState } from '#shared/store/feed-state-schema.ts';
import { initialFeedState } from '#shared/sweep/feed-health.ts';
import { FeedStateBook, FeedStatesNotSavedError } from '#shared/sweep/feed-state-book.ts';
import { runSweep } from '#shared/sweep/run-sweep.ts';
import { stateOf } from '../../fixtures/store/feed-state-helpers.ts';
import { openLoggedStore } from '../support/logged-store.ts';

const state = (feedId: string, extra: Partial<FeedState> = {}): FeedState => ({
  ...initialFeedState(feedId, `https://feeds.example/${feedId}`),
  ...extra,
});

describe('feed state book', () => {
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  let requests: string[] = [];

  beforeAll(async () => {
    ({ store, requests, close } = await openLoggedStore());
  });
  afterAll(async () => close());

  it('reads many feeds in one request and writes them in batches of 25', async () => {
    const ids = Array.from({ length: 60 }, (_, index) => `book-${index}`);
    await store.putFeedStates(ids.slice(0, 30).map((id) => state(id, { status: 'ok' })));
    requests.length = 0;
    const book = new FeedStateBook(store);

    await book.load(ids);
    await book.load(ids.slice(40));
    const loaded = (await book.getFeedStates(ids)).map((found) => found.feedId);
    for (const id of ids) await book.putFeedStates([state(id, { fetchCount: 1 })]);
    await book.flush();

    expect(loaded).toEqual(ids.slice(0, 30));
    expect(requests).toEqual([
      'BatchGetItemCommand',
      'BatchWriteItemCommand',
      'BatchWriteItemCommand',
      'BatchWriteItemCommand',
    ]);
    expect((await store.getFeedStates(ids)).map((saved) => saved.fetchCount)).toEqual(
      ids.map(() => 1),
    );
  });

  it('keeps states a write failed on and names their feeds, then writes them on the next flush', async () => {
    let failures = 1;
    const flaky = {
      getFeedStates: (ids: string[]) => store.getFeedStates(ids),
      putFeedStates: (states: FeedState[]) =>
        failures-- > 0 ? Promise.reject(new Error('throttled')) : store.putFeedStates(states),
    };
    const book = new FeedStateBook(flaky);
    await book.putFeedStates([state('flaky-a')]);

    const failure = await book.flush().catch((error: unknown) => error);
    const unsaved = book.unsavedFeedIds();
    await book.flush();

    expect(failure).toBeInstanceOf(FeedStatesNotSavedError);
    expect((failure as FeedStatesNotSavedError).feedIds).toEqual(['flaky-a']);
    expect((failure as Error).message).toContain('throttled');
    expect(unsaved).toEqual(['flaky-a']);
    expect(book.unsavedFeedIds()).toEqual([]);
    expect(await stateOf(store, 'flaky-a')).toBeDefined();
  });

  it('reports a feed whose state could not be written at the end of a sweep as a store failure', async () => {
    const feeds: FeedSpec[] = [
      { url: 'https://feeds.example/ok', tags: [] },
      { url: 'https://feeds.example/down', tags: [] },
    ];
    const poller: FeedPoller = {
      poll: async ({ feed }) => {
        if (feed.url.endsWith('down'))
          throw new FeedError('HTTP_STATUS', 'answered 503', { feedUrl: feed.url });
        return { kind: 'not-modified', httpStatus: 304, validators: {} };
      },
    };
    const scorer: Scorer = {
      profileVersion: 'test',
      thresholds: { match: 0.5, alert: 0.9 },
      score: () => {
        throw new Error('no item expected');
      },
    };
    const failing = Object.assign(Object.create(store) as DynamoDbStore, {
      putFeedStates: () => Promise.reject(new Error('table unavailable')),
    });
    const done: string[] = [];

    const summary = await runSweep(feeds, {
      poller,
      store: failing,
      scorer,
      stories: {
        assign: async (candidate) => ({
          storyId: 's',
          isNew: true,
          member: { ...candidate, storyId: 's', signature: '0' },
        }),
      },
      concurrency: 2,
      onFeedDone: (result) =>
        done.push(`${result.outcome}${result.error ? ` ${result.error.code}` : ''}`),
    });

    expect(summary.failed.map((entry) => entry.error)).toEqual([
      expect.stringMatching(/^STORE: .*table unavailable/),
      expect.stringMatching(/^HTTP_STATUS: /),
    ]);
    expect(summary.notModified).toBe(0);
    expect(done).toEqual(
      expect.arrayContaining(['not-modified', 'failed HTTP_STATUS', 'failed STORE']),
    );
  });

  it('fails only the feed whose matches could not be stored, and saves none of its state', async () => {
    const item = (feed: string) => ({
      id: `${feed}-item`,
      feedUrl: `https://feeds.example/${feed}`,
      title: `A story from ${feed}`,
      summary: 'Summary.',
      link: `https://news.example/${feed}`,
      dedupeKeys: [`url:https://news.example/${feed}`],
    });
    const feeds: FeedSpec[] = ['kept', 'refused'].map((name) => ({
      url: `https://feeds.example/${name}`,
      tags: [],
    }));
    const poller: FeedPoller = {
      poll: async ({ feed }) => ({
        kind: 'parsed',
        httpStatus: 200,
        validators: { etag: '"v1"' },
        feed: { title: 'Example' },
        items: [item(feed.url.split('/').pop() ?? '')],
        warnings: [],
      }),
    };
    const scorer: Scorer = {
      profileVersion: 'test',
      thresholds: { match: 0.5, alert: 0.9 },
      score: () => ({
        score: 0.7,
        match: true,
        alert: false,
        facets: [],
        terms: [],
        explanation: { facets: [], terms: [], notes: [] },
      }),
    };
    const refusing = Object.assign(Object.create(store) as DynamoDbStore, {
      writeMatches: (...args: Parameters<DynamoDbStore['writeMatches']>) =>
        args[0].some((match) => match.id === 'refused-item')
          ? Promise.reject(new Error('item refused'))
          : store.writeMatches(...args),
    });

    const summary = await runSweep(feeds, {
      poller,
      store: refusing,
      scorer,
      stories: {
        assign: async (candidate) => ({
          storyId: candidate.matchId,
          isNew: true,
          member: { ...candidate, storyId: candidate.matchId, signature: '0' },
        }),
      },
      concurrency: 2,
    });

    expect(summary.failed).toEqual([
      { url: 'https://feeds.example/refused', error: 'STORE: item refused' },
    ]);
    expect(summary.matches).toBe(1);
    expect(await store.getMatch('kept-item')).toBeDefined();
    expect(
      (await store.getFeedStates(feeds.map((feed) => feedIdFor(feed.url)))).map((s) => s.url),
    ).toEqual(['https://feeds.example/kept']);
  });
});

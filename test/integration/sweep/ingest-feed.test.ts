import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { createDynamoStore, type DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { stateOf } from '../../fixtures/store/feed-state-helpers.ts';
import { ingestOne } from '../support/ingest-one.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** A feed whose body and status the test sets, with ETags like a real server. */
const feedServer = {
  body: '',
  status: 200,
  honours304: true,
  requests: 0,
};
let server: Server;
let baseUrl: string;
let embedded: EmbeddedDynamoDb;
let scorer: Scorer;
let store: DynamoDbStore;
let tableCount = 0;

function rss(items: { guid: string; title: string; link: string; summary: string }[]): string {
  const entries = items
    .map(
      (item) =>
        `<item><title>${item.title}</title><link>${item.link}</link><guid isPermaLink="false">${item.guid}</guid><description>${item.summary}</description><pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title><link>https://t.example/</link>${entries}</channel></rss>`;
}

const ON_TOPIC = {
  guid: 'a',
  title: 'Putin and Xi Jinping pledge deeper Russia-China partnership as war in Ukraine grinds on',
  link: 'https://t.example/a',
  summary:
    'Russian President Vladimir Putin met Chinese leader Xi Jinping in Beijing, praising record trade between Moscow and Beijing despite Western sanctions over the invasion of Ukraine.',
};
const OFF_TOPIC = {
  guid: 'b',
  title: 'Local bakery wins national bread award',
  link: 'https://t.example/b',
  summary: 'A family bakery took first prize for its sourdough.',
};

beforeAll(async () => {
  server = createServer((request, response) => {
    feedServer.requests++;
    const etag = `"${feedServer.body.length}-${feedServer.body.charCodeAt(200) || 0}"`;
    if (feedServer.honours304 && request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response
      .writeHead(feedServer.status, { 'content-type': 'application/rss+xml', etag })
      .end(feedServer.body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  embedded = await startEmbeddedDynamoDb({});
  scorer = createScorer(await loadProfile(resolve(REPO_ROOT, 'seeds')));
});
afterAll(async () => {
  await new Promise((closed) => server.close(closed));
  await embedded.close();
});
beforeEach(async () => {
  const tableName = `ingest-${++tableCount}`;
  await ensureTable(
    new DynamoDBClient({
      endpoint: embedded.endpoint,
      region: 'local',
      credentials: embedded.credentials,
    }),
    tableName,
  );
  store = createDynamoStore({
    endpoint: embedded.endpoint,
    credentials: embedded.credentials,
    tableName,
  });
  Object.assign(feedServer, {
    body: rss([ON_TOPIC, OFF_TOPIC]),
    status: 200,
    honours304: true,
    requests: 0,
  });
});

function deps() {
  return {
    poller: createFeedPoller({
      allowPrivateNetwork: true,
      timeoutMs: 5000,
      maxBodyBytes: 1_000_000,
      perHostConcurrency: 2,
    }),
    store,
    scorer,
    stories: createStoryAssigner(store),
  };
}

describe('one feed through a sweep', () => {
  it('stores the matching item once, and a repeat poll of an unchanged feed stores nothing', async () => {
    const feed = { url: `${baseUrl}/feed.xml`, name: 'Test Feed', tags: [] };

    const first = await ingestOne(feed, deps());
    const second = await ingestOne(feed, deps());

    expect(first).toMatchObject({ outcome: 'fetched', items: 2, newItems: 2 });
    expect(first.matches.map((match) => match.link)).toEqual([ON_TOPIC.link]);
    expect(first.matches[0]).toMatchObject({
      feed: 'Test Feed',
      profileVersion: scorer.profileVersion,
    });
    expect(await store.getMatch(first.matches[0]?.id ?? '')).toMatchObject({
      title: ON_TOPIC.title,
    });
    expect(second).toMatchObject({ outcome: 'not-modified', newItems: 0, matches: [] });
    const state = await stateOf(store, feedIdFor(feed.url));
    expect(state).toMatchObject({ status: 'ok', fetchCount: 1, itemsSeen: 2, matchesFound: 1 });
  });

  it('writes the state of a run of 304s only once the last write is an hour old', async () => {
    const feed = { url: `${baseUrl}/quiet.xml`, tags: [] };
    let clock = Date.parse('2026-11-28T08:00:00Z');
    const at = (minutes: number) => {
      clock += minutes * 60_000;
      return () => new Date(clock);
    };
    await ingestOne(feed, { ...deps(), now: at(0) });

    await ingestOne(feed, { ...deps(), now: at(15) });
    const soon = await stateOf(store, feedIdFor(feed.url));
    await ingestOne(feed, { ...deps(), now: at(45) });
    const later = await stateOf(store, feedIdFor(feed.url));

    expect(soon).toMatchObject({ fetchCount: 1, notModifiedCount: 0 });
    expect(later).toMatchObject({
      fetchCount: 2,
      notModifiedCount: 1,
      lastFetchAt: '2026-11-28T09:00:00.000Z',
    });
  });

  it('scores only the items a feed has not shown before, and keeps their digests in its state', async () => {
    feedServer.honours304 = false;
    const feed = { url: `${baseUrl}/changing.xml`, tags: [] };
    await ingestOne(feed, deps());
    feedServer.body = rss([
      { ...OFF_TOPIC, guid: 'd', link: 'https://t.example/d', title: 'Bakery opens a second shop' },
      ON_TOPIC,
      OFF_TOPIC,
    ]);

    const second = await ingestOne(feed, deps());

    expect(second).toMatchObject({ outcome: 'fetched', items: 3, newItems: 1, matches: [] });
    const state = await stateOf(store, feedIdFor(feed.url));
    expect(state?.seenItems).toHaveLength(3 * 8);
  });

  it('scores an item that could not be scored again at the next poll', async () => {
    feedServer.honours304 = false;
    const feed = { url: `${baseUrl}/unscored.xml`, tags: [] };
    const onTopic = { ...ON_TOPIC, guid: 't-example-putin-xi' };
    const offTopic = { ...OFF_TOPIC, guid: 't-example-bakery' };
    feedServer.body = rss([onTopic, offTopic]);
    const failing: Scorer = {
      ...scorer,
      score: (item) => {
        if (item.title === OFF_TOPIC.title) throw new Error('scorer broke');
        return scorer.score(item);
      },
    };
    const first = await ingestOne(feed, { ...deps(), scorer: failing });
    const bakeryNews = {
      ...offTopic,
      guid: 't-example-news',
      link: 'https://t.example/news',
      title: 'Bakery news',
    };
    feedServer.body = rss([bakeryNews, onTopic, offTopic]);

    const second = await ingestOne(feed, deps());

    expect(first.itemErrors).toHaveLength(1);
    expect(second).toMatchObject({ outcome: 'fetched', items: 3, newItems: 2 });
  });

  it('skips the parse when a server without 304 sends the same body again', async () => {
    feedServer.honours304 = false;
    const feed = { url: `${baseUrl}/no304.xml`, tags: [] };

    await ingestOne(feed, deps());
    const again = await ingestOne(feed, deps());

    expect(again.outcome).toBe('not-modified');
  });

  it('scores every item new to a feed but stores no match another feed already stored', async () => {
    const first = { url: `${baseUrl}/one.xml`, tags: [] };
    const other = { url: `${baseUrl}/two.xml`, tags: [] };
    await ingestOne(first, deps());
    const followUp = {
      ...ON_TOPIC,
      guid: 'c',
      link: 'https://t.example/c',
      title: 'Lavrov meets Wang Yi in Beijing to discuss Ukraine war and sanctions',
    };
    feedServer.body = rss([followUp, ON_TOPIC, OFF_TOPIC]);

    const result = await ingestOne(other, deps());

    // New to this feed, all three are scored; the one another feed stored is not stored again.
    expect(result).toMatchObject({ outcome: 'fetched', items: 3, newItems: 3 });
    expect(result.matches.map((match) => match.link)).toEqual([followUp.link]);
  });

  it('records a failing feed with its error code and backs off instead of throwing', async () => {
    feedServer.status = 500;
    const feed = { url: `${baseUrl}/broken.xml`, tags: [] };

    const result = await ingestOne(feed, deps());
    const skipped = await ingestOne(feed, deps());

    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'HTTP_STATUS' } });
    expect(skipped.outcome).toBe('skipped');
    expect(await stateOf(store, feedIdFor(feed.url))).toMatchObject({
      status: 'failing',
      consecutiveFailures: 1,
      lastErrorCode: 'HTTP_STATUS',
    });
  });

  it('disables a feed that answers 410 Gone', async () => {
    feedServer.status = 410;
    const feed = { url: `${baseUrl}/gone.xml`, tags: [] };

    await ingestOne(feed, deps());

    expect(await stateOf(store, feedIdFor(feed.url))).toMatchObject({ status: 'disabled' });
  });
});

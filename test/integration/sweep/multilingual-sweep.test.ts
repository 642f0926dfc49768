import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { runSweep } from '#shared/sweep/run-sweep.ts';
import { sharedData } from '../../support/shared-data.ts';
import { FeedTestServer } from '../feeds/feed-test-server.ts';
import { createTestTable, startEmbeddedTestDb, type TestTable } from '../support/dynamo-table.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const CORPUS = sharedData('corpus/multilingual/items.jsonl');
/** Items served per language: enough for both matches and items left alone. */
const PER_LANGUAGE = 80;

interface CorpusItem {
  id: string;
  lang: 'ru' | 'zh';
  title: string;
  summary: string;
  link: string;
}

/**
 * Each language's items as its outlets would serve them: Russian in windows-1251 (as Interfax
 * and Kommersant do), declared in the header and the XML declaration; Chinese in GBK (as
 * People's Daily does), declared only in the XML declaration.
 */
const FEEDS = {
  ru: { path: '/ru.xml', encoding: 'windows-1251', tag: 'ru', header: true },
  zh: { path: '/zh.xml', encoding: 'GBK', tag: 'zh-cn', header: false },
} as const;

describe.skipIf(!CORPUS)('Russian and Chinese feeds through a sweep', () => {
  const server = new FeedTestServer();
  let db: EmbeddedDynamoDb;
  let table: TestTable;
  let store: DynamoDbStore;
  let scorer: Scorer;
  const items: Record<'ru' | 'zh', CorpusItem[]> = { ru: [], zh: [] };

  beforeAll(async () => {
    for (const line of readFileSync(CORPUS ?? '', 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line) as CorpusItem;
      if (items[item.lang].length < PER_LANGUAGE) items[item.lang].push(item);
    }
    for (const lang of ['ru', 'zh'] as const) {
      const feed = FEEDS[lang];
      const body = encodeXml(
        rssDocument(lang, feed.tag, items[lang], feed.encoding),
        feed.encoding,
      );
      server.serve(feed.path, body, {
        'content-type': feed.header
          ? `application/rss+xml; charset=${feed.encoding}`
          : 'application/rss+xml',
      });
    }
    await server.start();
    db = await startEmbeddedTestDb();
    table = await createTestTable(db.endpoint, 'multilingual', db.credentials);
    store = table.store();
    scorer = createScorer(await loadProfile(resolve(REPO_ROOT, 'seeds')));
  });
  afterAll(async () => {
    await table?.drop();
    await db?.close();
    await server.stop();
  });

  it('decodes each charset, scores every item in its language and stores the matches with it', async () => {
    const summary = await runSweep(
      Object.values(FEEDS).map((feed) => ({ url: server.url(feed.path), tags: [] })),
      {
        poller: createFeedPoller({
          allowPrivateNetwork: true,
          timeoutMs: 5000,
          maxBodyBytes: 5_000_000,
          perHostConcurrency: 2,
        }),
        store,
        scorer,
        stories: createStoryAssigner(store),
        concurrency: 2,
      },
    );

    expect(summary.failed).toEqual([]);
    expect(summary.newItems).toBe(2 * PER_LANGUAGE);
    const stored = await allMatches(store);
    for (const lang of ['ru', 'zh'] as const) {
      // What the scorer says of the corpus text itself, declared language included.
      const expected = items[lang]
        .filter((item) => scorer.score({ ...item, language: FEEDS[lang].tag }).match)
        .map((item) => item.title)
        .sort();
      const ofLanguage = stored.filter((match) => match.feedUrl.endsWith(FEEDS[lang].path));

      expect(expected.length).toBeGreaterThanOrEqual(5);
      expect(ofLanguage.map((match) => match.title).sort()).toEqual(expected);
      for (const match of ofLanguage) {
        expect(match.lang).toBe(lang);
        expect(match.explanation.lang).toBe(lang);
      }
    }
  });
});

function rssDocument(lang: string, tag: string, list: CorpusItem[], encoding: string): string {
  const entries = list.map(
    (item) =>
      `<item><title>${escapeXml(item.title)}</title><link>${escapeXml(item.link)}</link>` +
      `<guid isPermaLink="false">${item.id}</guid>` +
      `<description>${escapeXml(item.summary)}</description></item>`,
  );
  return (
    `<?xml version="1.0" encoding="${encoding}"?>\n<rss version="2.0"><channel>` +
    `<title>Fixture ${lang}</title><link>https://example.org/${lang}</link>` +
    `<description>corpus items</description><language>${tag}</language>` +
    `${entries.join('\n')}</channel></rss>\n`
  );
}

/** The document in the charset, characters it cannot hold written as numeric references. */
function encodeXml(text: string, encoding: string): Buffer {
  let out = '';
  for (const character of text) {
    const roundTrip = iconv.decode(iconv.encode(character, encoding), encoding);
    out += roundTrip === character ? character : `&#${character.codePointAt(0)};`;
  }
  return iconv.encode(out, encoding);
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

async function allMatches(store: DynamoDbStore): Promise<Match[]> {
  const matches: Match[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listMatches({ limit: 100, ...(cursor ? { cursor } : {}) });
    matches.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return matches;
}

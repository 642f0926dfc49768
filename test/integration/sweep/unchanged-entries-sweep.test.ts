import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller } from '#shared/feeds/feed-poller.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { scanEntries } from '#shared/feeds/unchanged-entries.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { runSweep } from '#shared/sweep/run-sweep.ts';
import { sharedData } from '../../support/shared-data.ts';
import { createTestTable, startEmbeddedTestDb, type TestTable } from '../support/dynamo-table.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const FEEDS_DIR = sharedData('corpus/feeds');
/** Entries each feed shows for the first time in the second document. */
const NEW_ENTRIES = 3;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A real feed as it was before its newest entries came: the same text without them. */
function withoutNewest(text: string): string | undefined {
  const spans = scanEntries(text, 500)?.spans;
  if (!spans || spans.length <= NEW_ENTRIES + 2) return undefined;
  const first = spans[0]?.start ?? 0;
  const keptFrom = spans[NEW_ENTRIES]?.start ?? 0;
  return text.slice(0, first) + text.slice(keptFrom);
}

/** Pairs of documents (before, after) from the corpus's RSS and Atom feeds in UTF-8. */
function documentPairs(): { before: string; after: string }[] {
  if (!FEEDS_DIR) return [];
  const pairs: { before: string; after: string }[] = [];
  for (const file of filesUnder(FEEDS_DIR)) {
    const text = readFileSync(file, 'utf8');
    if (text.includes('\uFFFD')) continue;
    const before = withoutNewest(text);
    if (before) pairs.push({ before, after: text });
  }
  return pairs;
}

const pairs = documentPairs();
let revision = 0;
let server: Server;
let baseUrl: string;
let db: EmbeddedDynamoDb;
let scorer: Scorer;

describe.skipIf(pairs.length === 0)('sweeps that leave unchanged entries out', () => {
  beforeAll(async () => {
    server = createServer((request, response) => {
      const index = Number(/^\/feed\/(\d+)$/.exec(request.url ?? '')?.[1] ?? -1);
      const pair = pairs[index];
      if (!pair) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/xml; charset=utf-8' })
        .end(revision === 0 ? pair.before : pair.after);
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    db = await startEmbeddedTestDb();
    scorer = createScorer(await loadProfile(resolve(REPO_ROOT, 'seeds')));
  });
  afterAll(async () => {
    await new Promise((closed) => server?.close(closed));
    await db?.close();
  });

  async function storedMatchIds(store: DynamoDbStore): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listMatches({ limit: 100, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((match) => match.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids.sort();
  }

  it('store the same matches and count the same items as sweeps that parse every document whole', async () => {
    const feeds: FeedSpec[] = pairs.map((_, index) => ({
      url: `${baseUrl}/feed/${index}`,
      tags: [],
    }));
    const http = createFeedPoller({
      allowPrivateNetwork: true,
      timeoutMs: 5000,
      maxBodyBytes: 5_000_000,
      perHostConcurrency: 4,
    });
    let unchanged = 0;
    const leavingOut: FeedPoller = {
      poll: async (request) => {
        const result = await http.poll(request);
        if (result.kind === 'parsed') unchanged += result.unchangedItems ?? 0;
        return result;
      },
    };
    const whole: FeedPoller = {
      poll: ({ knownEntries: _ignored, ...request }) => http.poll(request),
    };
    const tables: TestTable[] = [];
    const pipeline = async (poller: FeedPoller) => {
      const table = await createTestTable(db.endpoint, 'entries', db.credentials);
      tables.push(table);
      const store = table.store();
      return { poller, store, scorer, stories: createStoryAssigner(store), concurrency: 8 };
    };
    const skipping = await pipeline(leavingOut);
    const reading = await pipeline(whole);

    try {
      const summaries = [];
      for (revision = 0; revision < 2; revision++) {
        summaries.push([await runSweep(feeds, skipping), await runSweep(feeds, reading)]);
      }

      for (const [left, right] of summaries) {
        expect(left?.failed).toEqual([]);
        expect(right?.failed).toEqual([]);
        expect(left).toMatchObject({
          items: right?.items,
          newItems: right?.newItems,
          matches: right?.matches,
        });
      }
      expect(summaries[1]?.[0]?.newItems).toBeGreaterThanOrEqual(pairs.length * NEW_ENTRIES * 0.8);
      // Most of the second documents' entries were left out, not parsed again.
      expect(unchanged).toBeGreaterThan((summaries[1]?.[0]?.items ?? 0) / 2);
      expect(await storedMatchIds(skipping.store)).toEqual(await storedMatchIds(reading.store));
      expect((await storedMatchIds(skipping.store)).length).toBeGreaterThan(0);
    } finally {
      for (const table of tables) await table.drop();
    }
  });
});

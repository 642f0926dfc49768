/**
 * What the store costs per sweep as feeds and items grow: DynamoDB requests by operation, item
 * writes by kind, and the capacity units the backend reports, counted by a client middleware on
 * the embedded store (dynalite). Runs the real ingest use case with an in-memory poller, so the
 * calls are the ones a deployed sweep makes. Checks that a sweep over unchanged data writes no
 * item (a 200 writes its feed's state, a run of 304s only hourly) and prints the cost of match
 * pages.
 *
 * Run: npx tsx bench/bench-store.ts [--quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NormalizedItem } from '#shared/feeds/feed-item.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller, PollResult } from '#shared/feeds/feed-poller.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import {
  type EmbeddedCredentials,
  startEmbeddedDynamoDb,
} from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import type { MatchQuery } from '#shared/store/match-schema.ts';
import { runSweep } from '#shared/sweep/run-sweep.ts';
import type { StoryAssigner } from '#shared/sweep/story-assigner.ts';

const quick = process.argv.includes('--quick');
const SHAPES = quick
  ? [
      { feeds: 5, itemsPerFeed: 20 },
      { feeds: 20, itemsPerFeed: 20 },
    ]
  : [
      { feeds: 10, itemsPerFeed: 20 },
      { feeds: 50, itemsPerFeed: 20 },
      { feeds: 50, itemsPerFeed: 60 },
      { feeds: 200, itemsPerFeed: 30 },
    ];
/** One item in five is a match, as a topic profile over general news might give. */
const MATCH_EVERY = 5;
const NEW_SHARE_IN_UPDATE = 0.1;

interface Tally {
  requests: Record<string, number>;
  itemWrites: Record<string, number>;
  capacityUnits: number;
}

const emptyTally = (): Tally => ({ requests: {}, itemWrites: {}, capacityUnits: 0 });
let tally = emptyTally();

/**
 * What kind of item a partition key belongs to, for the write tally. The key is still plain when
 * this middleware runs before the document client's marshalling, and marshalled otherwise.
 */
function kindOf(pk: AttributeValue | string | undefined): string {
  const value = typeof pk === 'string' ? pk : (pk?.S ?? '');
  if (value === 'FEEDS') return 'feed-state';
  return (value.split('#')[0] ?? 'other').toLowerCase();
}

function countWrite(pk: AttributeValue | string | undefined): void {
  const kind = kindOf(pk);
  tally.itemWrites[kind] = (tally.itemWrites[kind] ?? 0) + 1;
}

/** Counts every request, every item it writes and the capacity the backend reports. */
function instrument(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const operation = String(context.commandName).replace(/Command$/, '');
      tally.requests[operation] = (tally.requests[operation] ?? 0) + 1;
      if (operation === 'PutItem') countWrite((input.Item as Record<string, AttributeValue>).pk);
      if (operation === 'UpdateItem' || operation === 'DeleteItem') {
        countWrite((input.Key as Record<string, AttributeValue>).pk);
      }
      if (operation === 'BatchWriteItem') {
        for (const requests of Object.values(
          input.RequestItems as Record<
            string,
            { PutRequest?: { Item: Record<string, AttributeValue> } }[]
          >,
        )) {
          for (const request of requests) countWrite(request.PutRequest?.Item.pk);
        }
      }
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const entry of [consumed].flat()) {
        tally.capacityUnits +=
          (entry as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchTally' },
  );
}

function itemsFor(feedIndex: number, count: number, generation: number): NormalizedItem[] {
  return Array.from({ length: count }, (_, index) => {
    const id = `f${feedIndex}-g${generation}-i${index}`;
    return {
      id,
      feedUrl: `https://bench.example/feed-${feedIndex}.xml`,
      link: `https://bench.example/${id}`,
      title: `${index % MATCH_EVERY === 0 ? 'match' : 'other'} headline ${id}`,
      summary: `Summary of ${id}.`,
      published: new Date(Date.UTC(2026, 10, 1) + index * 60_000).toISOString(),
      dedupeKeys: [`url:https://bench.example/${id}`, `guid:${id}`],
    };
  });
}

/** An in-memory poller: each feed serves its current document, or 304 when asked to. */
class MemoryPoller implements FeedPoller {
  documents = new Map<string, NormalizedItem[]>();
  notModified = false;

  async poll(request: { feed: FeedSpec }): Promise<PollResult> {
    if (this.notModified) return { kind: 'not-modified', httpStatus: 304, validators: {} };
    return {
      kind: 'parsed',
      httpStatus: 200,
      validators: { etag: `"${Date.now()}"` },
      feed: { title: request.feed.name },
      items: this.documents.get(request.feed.url) ?? [],
      warnings: [],
    };
  }
}

const scorer: Scorer = {
  profileVersion: 'bench',
  thresholds: { match: 0.5, alert: 0.8 },
  score: (input) => {
    const match = input.title.startsWith('match');
    return {
      score: match ? 0.7 : 0.1,
      match,
      alert: false,
      facets: match ? ['bench-facet'] : [],
      terms: match ? ['match'] : [],
      explanation: { facets: [], terms: [], notes: [] },
    };
  },
};

/** Every match starts its own story (named after it, as the real assigner names a new one). */
function storiesOn(): StoryAssigner {
  return {
    assign: async (candidate) => ({
      storyId: candidate.matchId,
      isNew: true,
      member: {
        storyId: candidate.matchId,
        matchId: candidate.matchId,
        feed: candidate.feed,
        title: candidate.title,
        signature: '0',
        storedAt: candidate.storedAt,
      },
    }),
  };
}

interface SweepRow {
  feeds: number;
  itemsPerFeed: number;
  sweep: string;
  requests: number;
  byOperation: Record<string, number>;
  itemWrites: Record<string, number>;
  itemWritesExcludingFeedState: number;
  capacityUnits: number;
  requestsPerFeed: number;
}

async function measure(
  label: string,
  shape: { feeds: number; itemsPerFeed: number },
  run: () => Promise<void>,
): Promise<SweepRow> {
  tally = emptyTally();
  await run();
  const requests = Object.values(tally.requests).reduce((sum, count) => sum + count, 0);
  const writes = Object.entries(tally.itemWrites)
    .filter(([kind]) => kind !== 'feed-state')
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    ...shape,
    sweep: label,
    requests,
    byOperation: tally.requests,
    itemWrites: tally.itemWrites,
    itemWritesExcludingFeedState: writes,
    capacityUnits: Math.round(tally.capacityUnits * 10) / 10,
    requestsPerFeed: Math.round((requests / shape.feeds) * 10) / 10,
  };
}

async function benchShape(
  endpoint: string,
  credentials: EmbeddedCredentials,
  shape: { feeds: number; itemsPerFeed: number },
): Promise<{ sweeps: SweepRow[]; pages: SweepRow[] }> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials,
  });
  const tableName = `bench-${shape.feeds}-${shape.itemsPerFeed}`;
  await ensureTable(client, tableName);
  instrument(client);
  let clock = Date.UTC(2026, 10, 2);
  const store = new DynamoDbStore({
    client: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName,
    now: () => new Date(clock),
  });
  const feeds: FeedSpec[] = Array.from({ length: shape.feeds }, (_, index) => ({
    url: `https://bench.example/feed-${index}.xml`,
    name: `Bench ${index}`,
    tags: [],
  }));
  const poller = new MemoryPoller();
  feeds.forEach((feed, index) => {
    poller.documents.set(feed.url, itemsFor(index, shape.itemsPerFeed, 0));
  });
  const deps = { poller, store, scorer, stories: storiesOn(), now: () => new Date(clock) };
  const sweep = async () => {
    clock += 15 * 60_000;
    await runSweep(feeds, { ...deps, concurrency: 1 });
  };

  const sweeps: SweepRow[] = [];
  sweeps.push(await measure('first (all new)', shape, sweep));
  sweeps.push(await measure('unchanged (200, same items)', shape, sweep));
  poller.notModified = true;
  sweeps.push(await measure('unchanged (304)', shape, sweep));
  poller.notModified = false;
  const fresh = Math.max(1, Math.round(shape.itemsPerFeed * NEW_SHARE_IN_UPDATE));
  feeds.forEach((feed, index) => {
    const current = poller.documents.get(feed.url) ?? [];
    poller.documents.set(feed.url, [
      ...itemsFor(index, fresh, 1),
      ...current.slice(0, shape.itemsPerFeed - fresh),
    ]);
  });
  sweeps.push(await measure(`update (${fresh} new per feed)`, shape, sweep));

  const pages: SweepRow[] = [];
  const page = (label: string, query: Partial<MatchQuery>) =>
    measure(label, shape, async () => {
      await store.listMatches({ limit: 25, ...query });
    });
  pages.push(await page('newest 25', {}));
  pages.push(await page('facet, 25', { facet: 'bench-facet' }));
  pages.push(await page('q with no hit', { q: 'absent-word' }));
  pages.push(await page('feed, 25', { feed: 'Bench 0' }));
  client.destroy();
  return { sweeps, pages };
}

function printTable(rows: SweepRow[], perFeed: boolean): void {
  const header = [
    'feeds',
    'items/feed',
    perFeed ? 'sweep' : 'page',
    'requests',
    ...(perFeed ? ['req/feed', 'item writes', 'feed-state writes'] : []),
    'table CU',
  ];
  const lines = rows.map((row) => [
    String(row.feeds),
    String(row.itemsPerFeed),
    row.sweep,
    String(row.requests),
    ...(perFeed
      ? [
          String(row.requestsPerFeed),
          String(row.itemWritesExcludingFeedState),
          String(row.itemWrites['feed-state'] ?? 0),
        ]
      : []),
    String(row.capacityUnits),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

const db = await startEmbeddedDynamoDb({});
const sweeps: SweepRow[] = [];
const pages: SweepRow[] = [];
try {
  for (const shape of SHAPES) {
    const result = await benchShape(db.endpoint, db.credentials, shape);
    sweeps.push(...result.sweeps);
    pages.push(...result.pages);
  }
} finally {
  await db.close();
}

console.log('\nStore cost per sweep (embedded dynalite; table CU excludes GSI writes)\n');
printTable(sweeps, true);
console.log('\nStore cost per match page (limit 25)\n');
printTable(pages, false);

const unchanged = sweeps.filter((row) => row.sweep.startsWith('unchanged'));
const proof = unchanged.every((row) => row.itemWritesExcludingFeedState === 0);
console.log(
  `\nUnchanged data: ${proof ? 'no item writes' : 'ITEM WRITES FOUND'} in ${unchanged.length} sweeps ` +
    `(a feed that answered 200 still has its state written; a 304 within the hour writes nothing).`,
);

const outDir = resolve(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  resolve(outDir, 'bench-store.json'),
  `${JSON.stringify({ backend: 'dynalite (embedded)', quick, matchEvery: MATCH_EVERY, sweeps, pages, unchangedSweepsWriteNoItems: proof }, null, 2)}\n`,
);
if (!proof) process.exitCode = 1;

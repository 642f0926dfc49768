/**
 * Load test of the local API: requests per second and latency percentiles for `GET /matches`
 * (plain pages, larger pages, filtered pages, a second page through the cursor), for
 * `GET /matches/{id}`, and for the routes of the web page (`/stories`, `/stories/{id}`, `/volume`
 * over 7 to 90 days, `/alerts`), over loopback HTTP against the embedded store (dynalite, in memory)
 * holding 10,000+ matches. Client, server and store share this one process, so the numbers are
 * the whole local stack's, not the deployed Lambda's. Each scenario is bounded in time and count.
 * The 1-minute load average is printed and recorded: on a shared machine it says how far the
 * latencies can be trusted; the CPU per call in the layer table moves less with it.
 *
 * Run: npx tsx bench/bench-api.ts [--quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createApiRouter } from '#shared/api/api-router.ts';
import { startLocalApiServer } from '#shared/api/local-api-server.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import type { Match } from '#shared/store/match-schema.ts';

const quick = process.argv.includes('--quick');
const MATCH_COUNT = 10_000;
const CONCURRENCY = 8;
const SCENARIO_SECONDS = quick ? 2 : 5;
const SCENARIO_MAX_REQUESTS = quick ? 1_000 : 4_000;
const WARMUP_REQUESTS = 20;
const WRITE_CONCURRENCY = 32;
const FACETS = ['trade', 'energy', 'diplomacy', 'security'];
const FEEDS = ['Example Wire', 'Daily Ledger', 'Harbour Post', 'Morning Star', 'Evening Courier'];
const repoRoot = resolve(import.meta.dirname, '..');

function syntheticMatch(index: number, now: number): Match {
  // One match every 20 minutes reaching back about 140 days: several month buckets.
  const storedAt = new Date(now - 60_000 - index * 20 * 60_000).toISOString();
  const facet = FACETS[index % FACETS.length] as string;
  return {
    id: `bench-${String(index).padStart(6, '0')}`,
    title: `${index % 7 === 0 ? 'Pipeline deal' : 'Talks continue'}: report number ${index}`,
    link: `https://news.example.com/${index}`,
    summary: 'Officials discussed supplies, payments and the schedule of the next meeting.',
    feed: FEEDS[index % FEEDS.length] as string,
    feedUrl: `https://news.example.com/${index % FEEDS.length}.xml`,
    published: storedAt,
    storedAt,
    score: 0.45 + (index % 11) * 0.05,
    alert: index % 11 >= 7,
    facets: index % 3 === 0 ? [facet, 'sanctions'] : [facet],
    terms: ['pipeline', 'payments', 'supplies'],
    explanation: {
      facets: [{ name: facet, score: 0.6, matched: ['pipeline'] }],
      terms: [{ term: 'pipeline', contribution: 0.25, field: 'title' }],
      notes: [],
    },
    profileVersion: 'bench-profile',
    // Every third match is a copy of the one before it: two stories in three matches have a lead.
    storyId:
      index % 3 === 1
        ? `bench-${String(index - 1).padStart(6, '0')}`
        : `bench-${String(index).padStart(6, '0')}`,
    alsoReportedBy: [],
    alerted: false,
  };
}

interface ScenarioResult {
  scenario: string;
  path: string;
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  itemsPerResponse: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

async function runScenario(
  baseUrl: string,
  scenario: string,
  path: string,
): Promise<ScenarioResult> {
  for (let i = 0; i < WARMUP_REQUESTS; i++) await (await fetch(`${baseUrl}${path}`)).arrayBuffer();
  const latencies: number[] = [];
  let errors = 0;
  let items = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + SCENARIO_SECONDS * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && issued < SCENARIO_MAX_REQUESTS) {
      issued++;
      const begin = performance.now();
      const response = await fetch(`${baseUrl}${path}`);
      const body = (await response.json()) as { items?: unknown[] };
      latencies.push(performance.now() - begin);
      if (response.status !== 200) errors++;
      items += body.items?.length ?? 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    scenario,
    path: path.length > 70 ? `${path.slice(0, 67)}...` : path,
    requests: latencies.length,
    errors,
    seconds: round(seconds),
    requestsPerSecond: round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
    itemsPerResponse: round(items / Math.max(1, latencies.length)),
  };
}

interface LayerCost {
  layer: string;
  p50Ms: number;
  p99Ms: number;
  /** CPU of this process per call: steadier than wall time on a shared machine. */
  cpuMs: number;
}

/**
 * Where the time of one `GET /matches` goes: one bare store round trip (a GetItem) for scale,
 * the store call alone (an index query and a BatchGet of story summaries), the
 * router around it (validation, response schema, JSON), and the whole HTTP round trip;
 * sequential, no load.
 */
async function layerCosts(
  client: DynamoDBClient,
  tableName: string,
  store: ReturnType<typeof createDynamoStore>,
  router: ReturnType<typeof createApiRouter>,
  baseUrl: string,
): Promise<LayerCost[]> {
  const rounds = quick ? 30 : 80;
  const measure = async (layer: string, call: () => Promise<unknown>): Promise<LayerCost> => {
    for (let i = 0; i < 5; i++) await call();
    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < rounds; i++) {
      const begin = performance.now();
      await call();
      latencies.push(performance.now() - begin);
    }
    const cpu = process.cpuUsage(cpuBefore);
    latencies.sort((a, b) => a - b);
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      layer,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      cpuMs: round((cpu.user + cpu.system) / 1000 / rounds),
    };
  };
  const key = { pk: { S: 'MATCH#bench-000123' }, sk: { S: 'MATCH' } };
  const layers = [
    await measure('one store round trip (GetItem)', () =>
      client.send(new GetItemCommand({ TableName: tableName, Key: key })),
    ),
  ];
  for (const limit of [25, 100]) {
    layers.push(
      await measure(`store.listMatches, limit ${limit}`, () => store.listMatches({ limit })),
      await measure(`router (no HTTP), limit ${limit}`, () =>
        router({
          method: 'GET',
          path: '/matches',
          query: { limit: String(limit) },
          headers: {},
          requestId: 'b',
        }),
      ),
      await measure(`HTTP round trip, limit ${limit}`, async () =>
        (await fetch(`${baseUrl}/matches?limit=${limit}`)).arrayBuffer(),
      ),
    );
  }
  return layers;
}

async function main(): Promise<void> {
  const embedded = await startEmbeddedDynamoDb({});
  const tableName = 'bench-api';
  const client = new DynamoDBClient({
    endpoint: embedded.endpoint,
    region: 'local',
    credentials: embedded.credentials,
  });
  await ensureTable(client, tableName);
  const store = createDynamoStore({
    endpoint: embedded.endpoint,
    credentials: embedded.credentials,
    tableName,
    cursorSecret: 'bench-secret',
  });

  const now = Date.now();
  const loadStarted = performance.now();
  for (let start = 0; start < MATCH_COUNT; start += WRITE_CONCURRENCY) {
    const batch = Array.from(
      { length: Math.min(WRITE_CONCURRENCY, MATCH_COUNT - start) },
      (_, offset) => syntheticMatch(start + offset, now),
    );
    await Promise.all(batch.map((match) => store.storeMatches([match], [], [])));
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  console.log(`stored ${MATCH_COUNT} matches in ${loadSeconds.toFixed(1)} s`);

  const profile = {
    version: 'bench-profile',
    facets: [...FACETS, 'sanctions'].map((name) => ({ name, derived: false, patterns: [] })),
  };
  const router = createApiRouter({ store, profile: () => profile });
  const server = await startLocalApiServer({ router, port: 0 });
  try {
    const firstPage = (await (await fetch(`${server.url}/matches?limit=25`)).json()) as {
      nextCursor?: string;
    };
    if (!firstPage.nextCursor) throw new Error('expected a second page of matches');
    const scenarios: [string, string][] = [
      ['first page, limit 25', '/matches'],
      ['first page, limit 100', '/matches?limit=100'],
      [
        'second page via cursor',
        `/matches?limit=25&cursor=${encodeURIComponent(firstPage.nextCursor)}`,
      ],
      ['facet index', '/matches?facet=sanctions&limit=25'],
      ['outlet index', `/matches?feed=${encodeURIComponent('Daily Ledger')}&limit=25`],
      ['filtered: minScore + q', '/matches?minScore=0.8&q=pipeline&limit=25'],
      ['time window', `/matches?since=${new Date(now - 30 * 86_400_000).toISOString()}&limit=25`],
      ['one match by id', '/matches/bench-000123'],
      ['stories, first page', '/stories'],
      ['stories, facet index', '/stories?facet=sanctions'],
      ['one story by id', '/stories/bench-000123'],
      ['volume, 7 days by hour', '/volume?days=7&interval=hour'],
      ['volume, 30 days by day', '/volume?days=30&interval=day'],
      ['volume, 90 days by day', '/volume?days=90&interval=day'],
      ['alerts and digest queue', '/alerts'],
    ];
    // The machine may be shared: the load says how far to trust the latencies.
    const loadBefore = loadavg()[0] ?? Number.NaN;
    console.log(`load average (1 min) before the scenarios: ${loadBefore.toFixed(2)}`);
    const results: ScenarioResult[] = [];
    for (const [name, path] of scenarios) {
      results.push(await runScenario(server.url, name, path));
    }
    console.table(
      results.map((result) => ({
        scenario: result.scenario,
        'req/s': result.requestsPerSecond,
        'p50 ms': result.p50Ms,
        'p90 ms': result.p90Ms,
        'p99 ms': result.p99Ms,
        'max ms': result.maxMs,
        requests: result.requests,
        errors: result.errors,
        'items/resp': result.itemsPerResponse,
      })),
    );
    const layers = await layerCosts(client, tableName, store, router, server.url);
    console.log('where one GET /matches spends its time (sequential):');
    console.table(layers);
    const out = resolve(repoRoot, 'bench/results/bench-api.json');
    mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          benchmark: 'bench-api',
          runAt: new Date().toISOString(),
          quick,
          setup: {
            matches: MATCH_COUNT,
            store: 'embedded dynalite, in memory, same process',
            transport: 'node:http on 127.0.0.1, keep-alive fetch client in the same process',
            concurrency: CONCURRENCY,
            scenarioSeconds: SCENARIO_SECONDS,
            scenarioMaxRequests: SCENARIO_MAX_REQUESTS,
            node: process.version,
            cpus: cpus().length,
            loadSeconds: Math.round(loadSeconds * 10) / 10,
            loadAverageBefore: Math.round(loadBefore * 100) / 100,
            loadAverageAfter: Math.round((loadavg()[0] ?? Number.NaN) * 100) / 100,
          },
          results,
          layers,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${out}`);
    if (results.some((result) => result.errors > 0)) process.exitCode = 1;
  } finally {
    await server.close();
    client.destroy();
    await embedded.close();
  }
}

await main();

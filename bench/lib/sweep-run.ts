/**
 * Helper process for bench-sweep: one size, measured in a fresh process so its memory figures
 * are its own. Runs the real sweep (createFeedPoller, DynamoDbStore on the embedded store,
 * loadProfile + createScorer, createStoryAssigner, the alert service with the local sink) twice
 * over feeds served by the feed-server helper, then times bare rss-parser on the same bytes.
 *
 * Args: <feeds> <hosts> <latencyMs> <lifetimeSeconds> [rounds of update + repeat sweeps]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import Parser from 'rss-parser';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import { createLocalAlertSink } from '#shared/alerts/local-alert-sink.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { ConfigSchema } from '#shared/config/config-schema.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { parseFeedDocument } from '#shared/feeds/parse-feed.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { KEY } from '#shared/store/dynamodb-keys.ts';
import { matchFromItem, matchItem } from '#shared/store/dynamodb-match-codec.ts';
import { batchGetAll, batchPutAll, DEFAULT_RETRY_POLICY } from '#shared/store/dynamodb-retry.ts';
import { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { TABLE_DESIGN } from '#shared/store/table-design.ts';
import { mapBounded } from '#shared/sweep/map-bounded.ts';
import { runSweep, type SweepSummary } from '#shared/sweep/run-sweep.ts';
import { exitWithParent, startChild } from './child-process.ts';
import { type DynamoTally, emptyTally, instrumentClient } from './dynamo-tally.ts';
import { watchPeakMemory } from './peak-memory.ts';
import { loadDocumentSource, rssDocument } from './rss-documents.ts';

const [feedCount = 0, hostCount = 0, latencyMs = 0, lifetimeSeconds = 0, rounds = 1] = process.argv
  .slice(2)
  .map(Number);
if (!(feedCount > 0 && hostCount > 0 && latencyMs >= 0 && lifetimeSeconds > 0)) {
  throw new Error('usage: sweep-run.ts <feeds> <hosts> <latencyMs> <lifetimeSeconds>');
}
const repoRoot = resolve(import.meta.dirname, '..', '..');
// A killed benchmark must not leave this run (and through it the helpers) going.
exitWithParent(lifetimeSeconds * 1000);
const TABLE = 'newswatch';

interface ServerStats {
  ok: number;
  notModified: number;
  notFound: number;
  bodyBytes: number;
  maxInFlightPerHost: number;
}

export interface SweepMeasurement {
  label: string;
  summary: Omit<SweepSummary, 'failed'> & { failed: number; firstFailures: string[] };
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  heapPeakMiB: number;
  server: ServerStats;
  /** Stored matches that were alert-worthy (handed to the alert service). */
  alertWorthy: number;
  /**
   * CPU of alerting those matches, run after the sweep as the deployed alert function runs after
   * ingest (off the stream); the sweep's own CPU is fetch-to-stored alone.
   */
  alertCpuMs: number;
  ingestStore: DynamoTally;
  alertStore: DynamoTally;
}

/** The run with the median wall time (the lower middle one for an even count). */
function medianByWall(sweeps: SweepMeasurement[]): SweepMeasurement {
  const sorted = [...sweeps].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)] as SweepMeasurement;
}

/**
 * With BENCH_PROF_SWEEPS=<dir>, a V8 CPU profile of each update and repeat sweep alone (the steady
 * state a deployed sweep spends its time in), where BENCH_PROF would blur them with the cold sweep.
 */
const sweepProfileDir = process.env.BENCH_PROF_SWEEPS;

async function profileStart(): Promise<Session | undefined> {
  if (!sweepProfileDir) return undefined;
  mkdirSync(sweepProfileDir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return session;
}

async function profileStop(session: Session | undefined, name: string): Promise<void> {
  if (!session || !sweepProfileDir) return;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(join(sweepProfileDir, `${name}.cpuprofile`), JSON.stringify(profile));
  session.disconnect();
}

const tallies = { ingest: emptyTally(), alert: emptyTally() };
const cpuMsOf = (usage: NodeJS.CpuUsage) => Math.round((usage.user + usage.system) / 1000);

/** The pass with the median CPU time. */
function medianByCpu<T extends { cpuMs: number }>(passes: T[]): T {
  return [...passes].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor((passes.length - 1) / 2)] as T;
}
const mib = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

const storeProcess = await startChild<{ endpoint: string; backend: string }>(
  resolve(import.meta.dirname, 'store-server.ts'),
  [String(lifetimeSeconds)],
);
const feedServer = await startChild<{ ports: number[]; source: string; sourceItems: number }>(
  resolve(import.meta.dirname, 'feed-server.ts'),
  [String(feedCount), String(hostCount), String(latencyMs), String(lifetimeSeconds)],
);
const dataDir = mkdtempSync(join(tmpdir(), 'newswatch-bench-sweep-'));

function client(which: keyof typeof tallies): DynamoDBClient {
  const dynamo = new DynamoDBClient({
    endpoint: storeProcess.ready.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  instrumentClient(dynamo, () => tallies[which]);
  return dynamo;
}

const documentsOf = (dynamo: DynamoDBClient) =>
  DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });

const storeOn = (documents: DynamoDBDocumentClient) =>
  new DynamoDbStore({ client: documents, tableName: TABLE, cursorSecret: 'bench-sweep' });

try {
  const config = ConfigSchema.parse({});
  const ingestClient = client('ingest');
  await ensureTable(ingestClient, TABLE);
  const ingestStoreDocuments = documentsOf(ingestClient);
  const ingestStore = storeOn(ingestStoreDocuments);
  const alertStore = storeOn(documentsOf(client('alert')));
  const profile = await loadProfile(resolve(repoRoot, config.seedsDir), {
    thresholds: config.thresholds,
  });
  const scorer = createScorer(profile);
  const poller = createFeedPoller({
    allowPrivateNetwork: true,
    timeoutMs: config.fetch.timeoutMs,
    maxBodyBytes: config.fetch.maxBodyBytes,
    perHostConcurrency: config.fetch.perHostConcurrency,
  });
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const alerts = createAlertService({
    store: alertStore,
    publisher: createLocalAlertSink({ dataDir, output: discard }),
    settings: config.alerts,
  });
  const { ports } = feedServer.ready;
  const feeds: FeedSpec[] = Array.from({ length: feedCount }, (_, index) => ({
    url: `http://127.0.0.1:${ports[index % ports.length]}/feed/${index}.xml`,
    tags: [],
  }));
  const stories = createStoryAssigner(ingestStore);

  async function sweepOnce(
    label: string,
    store: DynamoDbStore = ingestStore,
  ): Promise<SweepMeasurement> {
    tallies.ingest = emptyTally();
    tallies.alert = emptyTally();
    await feedServer.ask('reset');
    const rssBefore = process.memoryUsage.rss();
    const stopWatching = watchPeakMemory();
    const sweepBudget = { sent: 0 };
    const toAlert: Match[][] = [];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const stored = await runSweep(feeds, {
      poller,
      store,
      scorer,
      stories,
      concurrency: config.fetch.concurrency,
      alert: async (matches) => {
        toAlert.push(matches);
        return 0;
      },
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const alertCpuBefore = process.cpuUsage();
    let alertsSent = 0;
    for (const matches of toAlert) {
      alertsSent += (await alerts.handleNewMatches(matches, { sweepBudget })).sent;
    }
    const alertCpu = process.cpuUsage(alertCpuBefore);
    const summary = { ...stored, alerts: alertsSent };
    const alertWorthy = toAlert.reduce((sum, matches) => sum + matches.length, 0);
    const peak = stopWatching();
    const server = await feedServer.ask<ServerStats & { type: string }>('stats');
    return {
      label,
      summary: {
        ...summary,
        failed: summary.failed.length,
        firstFailures: summary.failed
          .slice(0, 3)
          .map((failure) => `${failure.url}: ${failure.error}`),
      },
      wallMs: Math.round(wallMs),
      cpuUserMs: Math.round(cpu.user / 1000),
      cpuSystemMs: Math.round(cpu.system / 1000),
      rssBeforeMiB: mib(rssBefore),
      rssPeakMiB: mib(peak.rssBytes),
      heapPeakMiB: mib(peak.heapBytes),
      server: {
        ok: server.ok,
        notModified: server.notModified,
        notFound: server.notFound,
        bodyBytes: server.bodyBytes,
        maxInFlightPerHost: server.maxInFlightPerHost,
      },
      alertWorthy,
      alertCpuMs: Math.round((alertCpu.user + alertCpu.system) / 1000),
      ingestStore: tallies.ingest,
      alertStore: tallies.alert,
    };
  }

  const storeCpuBefore = (await storeProcess.ask<{ cpu: NodeJS.CpuUsage }>('memory')).cpu;
  // The ids of the first sweep's matches as it writes them, to time writing their match items
  // alone after the sweeps. Ids only: holding the matches would add to the sweep's peak memory.
  const firstMatchIds: string[] = [];
  const capturing: DynamoDbStore = Object.create(ingestStore, {
    writeMatches: {
      value: (...args: Parameters<DynamoDbStore['writeMatches']>) => {
        for (const match of args[0]) firstMatchIds.push(match.id);
        return ingestStore.writeMatches(...args);
      },
    },
  });
  const first = await sweepOnce('first (all new)', capturing);
  const storeAfterFirst = await storeProcess.ask<{ rssBytes: number; cpu: NodeJS.CpuUsage }>(
    'memory',
  );
  // Update and repeat sweeps are short enough to run a few times; the median stands for them.
  const updates: SweepMeasurement[] = [];
  const repeats: SweepMeasurement[] = [];
  for (let round = 0; round < Math.max(1, rounds); round++) {
    await feedServer.ask('advance');
    const profiling = await profileStart();
    updates.push(await sweepOnce('update (some feeds changed)'));
    await profileStop(profiling, `update-${feedCount}-${round}`);
    const profilingRepeat = await profileStart();
    repeats.push(await sweepOnce('repeat (nothing changed)'));
    await profileStop(profilingRepeat, `repeat-${feedCount}-${round}`);
  }
  // The same update sweeps with the server answering at once: the same work without the idle
  // gaps between responses, which is how the bare parse below runs (docs/performance.md).
  await feedServer.ask('immediate');
  const immediateUpdates: SweepMeasurement[] = [];
  for (let round = 0; round < Math.max(1, rounds); round++) {
    await feedServer.ask('advance');
    immediateUpdates.push(await sweepOnce('update, server without delay'));
  }
  await feedServer.ask('delayed');
  const update = medianByWall(updates);
  const repeat = medianByWall(repeats);
  const storeMemory = await storeProcess.ask<{ rssBytes: number }>('memory');
  // What the schedule function reads each tick: every feed's state, digests included.
  const states = await ingestStore.listFeedStates();
  const feedStateBytesMean = Math.round(
    states.reduce((sum, state) => sum + Buffer.byteLength(JSON.stringify(state)), 0) /
      Math.max(1, states.length),
  );

  // Where the first sweep's CPU went: fetch + parse alone (unconditional polls), then scoring alone.
  const pollCpu = process.cpuUsage();
  const polled = await mapBounded(feeds, config.fetch.concurrency, (feed) =>
    poller.poll({ feed, previous: {}, unconditional: true }),
  );
  const pollUsage = process.cpuUsage(pollCpu);
  const polledItems = polled.flatMap((result) => (result.kind === 'parsed' ? result.items : []));
  const scoreCpu = process.cpuUsage();
  for (const item of polledItems) {
    scorer.score({ title: item.title, summary: item.summary, content: item.content });
  }
  const scoreUsage = process.cpuUsage(scoreCpu);

  // The least the first sweep's store could cost: its match items alone, built and sent 25 a
  // BatchWriteItem by the sweep's own client, without the ledger, facet, story and feed-state
  // items the sweep also writes, the reads that check for duplicates, or story assignment. Once to
  // warm the path and then three times, the median pass. Into a table of their own with the keys
  // alone: the requests and answers are the same, and DynamoDB Local slowed to a crawl writing to
  // a second table with a stream (it describes the stream again on every write). Off the counts.
  tallies.ingest = emptyTally();
  const firstMatches = (
    await batchGetAll(
      ingestStoreDocuments,
      TABLE,
      firstMatchIds.map((id) => KEY.match(id)),
      DEFAULT_RETRY_POLICY,
    )
  ).map(matchFromItem);
  const matchItemsTable = `${TABLE}-match-items`;
  await ingestClient.send(
    new CreateTableCommand({
      TableName: matchItemsTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE_DESIGN.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_DESIGN.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilTableExists(
    { client: ingestClient, maxWaitTime: 60 },
    { TableName: matchItemsTable },
  );
  const expiresAt = Math.floor(Date.now() / 1000) + 30 * 86_400;
  const writeMatchItems = () =>
    batchPutAll(
      ingestStoreDocuments,
      matchItemsTable,
      firstMatches.map((match) => matchItem(match, expiresAt)),
      DEFAULT_RETRY_POLICY,
    );
  await writeMatchItems();
  const matchItemPasses: { items: number; cpuMs: number }[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const passCpu = process.cpuUsage();
    await writeMatchItems();
    matchItemPasses.push({ items: firstMatches.length, cpuMs: cpuMsOf(process.cpuUsage(passCpu)) });
  }

  // Bare rss-parser and the newswatch parse step alone, on the same bytes the server sent.
  const source = loadDocumentSource();
  const buffers = feeds.map((_, index) => Buffer.from(rssDocument(source, index), 'utf8'));
  const bare = new Parser();
  // Bare parsing starts from the bytes too, as bench-parsing's does: parseString takes text.
  const bareParse = (bytes: Buffer) => bare.parseString(bytes.toString('utf8'));
  for (const bytes of buffers.slice(0, 20)) await bareParse(bytes);
  for (const bytes of buffers.slice(0, 20))
    await parseFeedDocument(bytes, { feedUrl: feeds[0]?.url ?? '' });
  // Three passes each, alternating, and the median pass of each: one pass can land in a burst of
  // another tenant's load on a shared machine.
  const barePasses: { items: number; cpuMs: number }[] = [];
  const parsePasses: { items: number; cpuMs: number }[] = [];
  for (let pass = 0; pass < 3; pass++) {
    let bareItems = 0;
    const bareCpu = process.cpuUsage();
    for (const bytes of buffers) bareItems += (await bareParse(bytes)).items.length;
    barePasses.push({ items: bareItems, cpuMs: cpuMsOf(process.cpuUsage(bareCpu)) });
    let parseItems = 0;
    const parseCpu = process.cpuUsage();
    for (const [index, bytes] of buffers.entries()) {
      parseItems += (await parseFeedDocument(bytes, { feedUrl: feeds[index]?.url ?? '' })).items
        .length;
    }
    parsePasses.push({ items: parseItems, cpuMs: cpuMsOf(process.cpuUsage(parseCpu)) });
  }

  process.send?.({
    type: 'result',
    feeds: feedCount,
    hosts: hostCount,
    latencyMs,
    concurrency: config.fetch.concurrency,
    perHostConcurrency: config.fetch.perHostConcurrency,
    source: feedServer.ready.source,
    sourceItems: feedServer.ready.sourceItems,
    documentBytesMean: Math.round(
      buffers.reduce((sum, bytes) => sum + bytes.length, 0) / Math.max(1, buffers.length),
    ),
    profileVersion: scorer.profileVersion,
    first,
    update,
    repeat,
    updateWallMs: updates.map((sweep) => sweep.wallMs),
    updateCpuMs: updates.map((sweep) => sweep.cpuUserMs + sweep.cpuSystemMs),
    updateParsedItems: updates.map((sweep) => sweep.summary.items),
    immediateUpdateCpuMs: immediateUpdates.map((sweep) => sweep.cpuUserMs + sweep.cpuSystemMs),
    immediateUpdateParsedItems: immediateUpdates.map((sweep) => sweep.summary.items),
    repeatWallMs: repeats.map((sweep) => sweep.wallMs),
    repeatParses: repeats.map((sweep) => sweep.summary.fetched),
    repeatItemWrites: repeats.map((sweep) =>
      Object.entries({ ...sweep.ingestStore.itemWrites })
        .concat(Object.entries(sweep.alertStore.itemWrites))
        .filter(([kind]) => kind !== 'feed-state')
        .reduce((sum, [, count]) => sum + count, 0),
    ),
    storeProcessCpuFirstMs: Math.round(
      (storeAfterFirst.cpu.user -
        storeCpuBefore.user +
        storeAfterFirst.cpu.system -
        storeCpuBefore.system) /
        1000,
    ),
    fetchParseOnly: {
      items: polledItems.length,
      cpuMs: Math.round((pollUsage.user + pollUsage.system) / 1000),
    },
    scoreOnly: {
      items: polledItems.length,
      cpuMs: Math.round((scoreUsage.user + scoreUsage.system) / 1000),
    },
    matchItemsOnly: medianByCpu(matchItemPasses),
    storeProcessRssMiB: mib(storeMemory.rssBytes),
    feedStateBytesMean,
    storeBackend: storeProcess.ready.backend,
    bareParse: medianByCpu(barePasses),
    newswatchParse: medianByCpu(parsePasses),
  });
} finally {
  await feedServer.stop();
  await storeProcess.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (process.connected) process.disconnect();
}

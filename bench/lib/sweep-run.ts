/**
 * Helper process for bench-sweep: one size, measured in a fresh process so its memory figures
 * are its own. Runs the real sweep (createFeedPoller, DynamoDbStore on the embedded store,
 * loadProfile + createScorer, createStoryAssigner, the alert service with the local sink) over
 * feeds served by the feed-server helper: one cold sweep, then rounds of update and repeat sweeps.
 *
 * Args: <feeds> <hosts> <latencyMs> <lifetimeSeconds> [rounds of update + repeat sweeps]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import { createLocalAlertSink } from '#shared/alerts/local-alert-sink.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { ConfigSchema } from '#shared/config/config-schema.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { runSweep, type SweepSummary } from '#shared/sweep/run-sweep.ts';
import { exitWithParent, startChild } from './child-process.ts';
import { type DynamoTally, emptyTally, instrumentClient } from './dynamo-tally.ts';
import { watchPeakMemory } from './peak-memory.ts';

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
const mib = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

const storeProcess = await startChild<{
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  backend: string;
}>(resolve(import.meta.dirname, 'store-server.ts'), [String(lifetimeSeconds)]);
const feedServer = await startChild<{ ports: number[]; source: string; sourceItems: number }>(
  resolve(import.meta.dirname, 'feed-server.ts'),
  [String(feedCount), String(hostCount), String(latencyMs), String(lifetimeSeconds)],
);
const dataDir = mkdtempSync(join(tmpdir(), 'newswatch-bench-sweep-'));

function client(which: keyof typeof tallies): DynamoDBClient {
  const dynamo = new DynamoDBClient({
    endpoint: storeProcess.ready.endpoint,
    region: 'local',
    credentials: storeProcess.ready.credentials,
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

  async function sweepOnce(label: string): Promise<SweepMeasurement> {
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
      store: ingestStore,
      scorer,
      stories,
      concurrency: config.fetch.concurrency,
      alert: async (matches) => {
        // Copies, as the table stream hands the alert function: the matches themselves hold
        // slices of their feed documents, which kept alive to the sweep's end would count
        // hundreds of documents against the ingest process that neither real path keeps (the
        // local runner alerts each feed's matches at once).
        toAlert.push(structuredClone(matches));
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
  const first = await sweepOnce('first (all new)');
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
  const update = medianByWall(updates);
  const repeat = medianByWall(repeats);
  const storeMemory = await storeProcess.ask<{ rssBytes: number }>('memory');
  // What the schedule function reads each tick: every feed's state, digests included.
  const states = await ingestStore.listFeedStates();
  const feedStateBytesMean = Math.round(
    states.reduce((sum, state) => sum + Buffer.byteLength(JSON.stringify(state)), 0) /
      Math.max(1, states.length),
  );

  process.send?.({
    type: 'result',
    feeds: feedCount,
    hosts: hostCount,
    latencyMs,
    concurrency: config.fetch.concurrency,
    perHostConcurrency: config.fetch.perHostConcurrency,
    source: feedServer.ready.source,
    sourceItems: feedServer.ready.sourceItems,
    profileVersion: scorer.profileVersion,
    first,
    update,
    repeat,
    updateWallMs: updates.map((sweep) => sweep.wallMs),
    updateCpuMs: updates.map((sweep) => sweep.cpuUserMs + sweep.cpuSystemMs),
    updateParsedItems: updates.map((sweep) => sweep.summary.items),
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
    storeProcessRssMiB: mib(storeMemory.rssBytes),
    feedStateBytesMean,
    storeBackend: storeProcess.ready.backend,
  });
} finally {
  await feedServer.stop();
  await storeProcess.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (process.connected) process.disconnect();
}

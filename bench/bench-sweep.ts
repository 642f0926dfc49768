/**
 * The whole sweep, end to end, at scale: N feeds served over loopback HTTP with 100 ms added to
 * every response, fetched, parsed, deduped, scored, stored and alerted by the real adapters
 * (createFeedPoller, DynamoDbStore on the embedded store, loadProfile + createScorer,
 * createStoryAssigner, the alert service with the local sink) through the real runSweep. Each
 * size runs in a fresh process, with the store and the feed server in processes of their own, so
 * the CPU and memory figures are the pipeline's alone. Every size sweeps cold (all new) once,
 * then runs update sweeps (some feeds have new items) and repeat sweeps (nothing changed, so
 * nothing may be parsed or written) for a few rounds, reporting the median.
 *
 * The small size is one ingest chunk (the most feeds one ingest invocation takes): its wall time
 * and peak memory stand for the ingest function's duration and memory per chunk.
 *
 * Targets: 1,000 feeds under 60 s; peak RSS flat as feeds grow; repeat sweep with zero parses
 * and zero item writes.
 *
 * Run: npx tsx bench/bench-sweep.ts [--quick]
 */
import { resolve } from 'node:path';
import { runChild } from './lib/child-process.ts';
import { type DynamoTally, totalItemWrites, totalRequests } from './lib/dynamo-tally.ts';
import { machineInfo } from './lib/machine.ts';
import { writeResults } from './lib/results.ts';
import { UPDATE } from './lib/rss-documents.ts';
import type { SweepMeasurement } from './lib/sweep-run.ts';
import { formatTable, round } from './lib/table.ts';

const quick = process.argv.includes('--quick');
/** One ingest chunk (MAX_FEEDS_PER_EVENT in functions/ingest/ingest-event.ts), then 1,000 feeds. */
const SIZES = quick ? [50] : [50, 1000];
/** Simulated hosts (one loopback port each): the poller's per-host limit keys on host:port. */
const HOSTS = 8;
/** Update + repeat sweeps per size; each reports its median run (the cold sweep runs once). */
const ROUNDS = quick ? 2 : 5;
const LATENCY_MS = 100;
const TARGETS = {
  wallSecondsAt1000: 60,
  /** Peak RSS at the largest size over peak RSS at the smallest, for 10x the feeds. */
  rssGrowthRatio: 1.5,
};

interface RunResult {
  feeds: number;
  hosts: number;
  latencyMs: number;
  concurrency: number;
  perHostConcurrency: number;
  source: string;
  sourceItems: number;
  profileVersion: string;
  first: SweepMeasurement;
  update: SweepMeasurement;
  repeat: SweepMeasurement;
  updateWallMs: number[];
  updateCpuMs: number[];
  updateParsedItems: number[];
  repeatWallMs: number[];
  repeatParses: number[];
  repeatItemWrites: number[];
  storeProcessRssMiB: number;
  storeProcessCpuFirstMs: number;
  /** Mean size of a stored feed state after the rounds (JSON of its attributes). */
  feedStateBytesMean: number;
  /** The store the sweeps wrote to: DynamoDB Local where Java runs, else dynalite. */
  storeBackend: string;
}

const cpuMs = (sweep: SweepMeasurement) => sweep.cpuUserMs + sweep.cpuSystemMs;
const itemWrites = (sweep: SweepMeasurement, except: string[] = []) =>
  totalItemWrites(sweep.ingestStore, except) + totalItemWrites(sweep.alertStore, except);
const requests = (tally: DynamoTally) => totalRequests(tally);

function derive(run: RunResult) {
  const { first, update, repeat } = run;
  return {
    feeds: run.feeds,
    wallSeconds: round(first.wallMs / 1000, 2),
    /** The floor set by latency and concurrency: ceil(feeds / concurrency) round trips. */
    latencyFloorSeconds: round((Math.ceil(run.feeds / run.concurrency) * run.latencyMs) / 1000, 2),
    cpuSeconds: round(cpuMs(first) / 1000, 2),
    items: first.summary.items,
    newItems: first.summary.newItems,
    matches: first.summary.matches,
    alerts: first.summary.alerts,
    failed: first.summary.failed,
    rssBeforeMiB: first.rssBeforeMiB,
    rssPeakMiB: Math.max(first.rssPeakMiB, repeat.rssPeakMiB),
    heapPeakMiB: Math.max(first.heapPeakMiB, repeat.heapPeakMiB),
    storeProcessRssMiB: run.storeProcessRssMiB,
    feedStateBytesMean: run.feedStateBytesMean,
    ingestRequests: requests(first.ingestStore),
    alertRequests: requests(first.alertStore),
    ingestRequestsPerFeed: round(requests(first.ingestStore) / run.feeds, 2),
    itemWrites: itemWrites(first),
    maxInFlightPerHost: first.server.maxInFlightPerHost,
    /** Alerting the first sweep's alert-worthy matches, after it (the deployed alert function's work). */
    alertCpuSeconds: round(first.alertCpuMs / 1000, 2),
    alertUsPerAlertWorthy: round((first.alertCpuMs * 1000) / Math.max(1, first.alertWorthy), 0),
    storeProcessCpuSeconds: round(run.storeProcessCpuFirstMs / 1000, 2),
    matchReadsPerMatch: round(first.ingestStore.itemReads / Math.max(1, first.summary.matches), 1),
    update: {
      wallSeconds: round(update.wallMs / 1000, 2),
      wallSecondsEachRound: run.updateWallMs.map((ms) => round(ms / 1000, 2)),
      cpuSeconds: round(cpuMs(update) / 1000, 2),
      parses: update.summary.fetched,
      responses200: update.server.ok,
      responses304: update.server.notModified,
      newItems: update.summary.newItems,
      matches: update.summary.matches,
      itemWrites: itemWrites(update, ['feed-state']),
      ingestRequests: requests(update.ingestStore),
      alertRequests: requests(update.alertStore),
      ingestRequestsPerFeed: round(requests(update.ingestStore) / run.feeds, 2),
    },
    repeat: {
      wallSeconds: round(repeat.wallMs / 1000, 2),
      wallSecondsEachRound: run.repeatWallMs.map((ms) => round(ms / 1000, 2)),
      parsesEachRound: run.repeatParses,
      itemWritesEachRound: run.repeatItemWrites,
      cpuSeconds: round(cpuMs(repeat) / 1000, 2),
      parses: repeat.summary.fetched,
      responses200: repeat.server.ok,
      responses304: repeat.server.notModified,
      itemWrites: itemWrites(repeat, ['feed-state']),
      feedStateWrites: itemWrites(repeat) - itemWrites(repeat, ['feed-state']),
      ingestRequests: requests(repeat.ingestStore),
      ingestRequestsPerFeed: round(requests(repeat.ingestStore) / run.feeds, 2),
    },
  };
}

const sizes: { feeds: number; run?: RunResult; error?: string }[] = [];
for (const feeds of SIZES) {
  console.log(`sweeping ${feeds} feeds (${HOSTS} hosts, ${LATENCY_MS} ms latency) ...`);
  // Generous: the sweep itself must stay far below this, and a hung run must not hang the bench.
  const budgetSeconds = 120 + feeds * 1.5;
  try {
    const run = await runChild<RunResult>(
      resolve(import.meta.dirname, 'lib/sweep-run.ts'),
      [
        String(feeds),
        String(HOSTS),
        String(LATENCY_MS),
        String(Math.ceil(budgetSeconds)),
        String(ROUNDS),
      ],
      budgetSeconds * 1000,
    );
    sizes.push({ feeds, run });
  } catch (error) {
    console.error(`  ${feeds} feeds failed: ${(error as Error).message}`);
    sizes.push({ feeds, error: (error as Error).message });
  }
}

const done = sizes.flatMap((size) =>
  size.run ? [{ run: size.run, figures: derive(size.run) }] : [],
);
const figures = done.map((entry) => entry.figures);

console.log(
  `\nSweep benchmark: one loopback feed server on ${HOSTS} ports (hosts), +${LATENCY_MS} ms per response, ` +
    `${done[0]?.run.source ?? '?'} items, store: ${done[0]?.run.storeBackend ?? '?'} in its own process\n`,
);
console.log(
  formatTable(
    [
      'feeds',
      'wall s',
      'floor s',
      'CPU s',
      'items',
      'matches',
      'alerts',
      'failed',
      'peak RSS MiB',
      'store req',
      'req/feed',
      'item writes',
    ],
    figures.map((row) => [
      row.feeds,
      row.wallSeconds,
      row.latencyFloorSeconds,
      row.cpuSeconds,
      row.items,
      row.matches,
      row.alerts,
      row.failed,
      row.rssPeakMiB,
      row.ingestRequests + row.alertRequests,
      row.ingestRequestsPerFeed,
      row.itemWrites,
    ]),
  ),
);
console.log('\nAlerting after the first sweep, as the alert function runs after ingest\n');
console.log(
  formatTable(
    ['feeds', 'store process CPU s', 'item reads/match', 'alerting CPU s', 'µs/alert-worthy'],
    figures.map((row) => [
      row.feeds,
      row.storeProcessCpuSeconds,
      row.matchReadsPerMatch,
      row.alertCpuSeconds,
      row.alertUsPerAlertWorthy,
    ]),
  ),
);
console.log(
  `\nUpdate sweep: every ${UPDATE.everyNthFeedChanges}nd feed has ${UPDATE.newItemsPerChangedFeed} new items (median of ${ROUNDS} rounds)\n`,
);
console.log(
  formatTable(
    [
      'feeds',
      'wall s',
      'CPU s',
      '200s',
      '304s',
      'parses',
      'new items',
      'matches',
      'item writes',
      'store req',
      'req/feed',
    ],
    figures.map((row) => [
      row.feeds,
      row.update.wallSeconds,
      row.update.cpuSeconds,
      row.update.responses200,
      row.update.responses304,
      row.update.parses,
      row.update.newItems,
      row.update.matches,
      row.update.itemWrites,
      row.update.ingestRequests + row.update.alertRequests,
      row.update.ingestRequestsPerFeed,
    ]),
  ),
);
console.log(
  `\nRepeat sweep, nothing changed (median of ${ROUNDS} rounds; parses and item writes from every round)\n`,
);
console.log(
  formatTable(
    [
      'feeds',
      'wall s',
      'CPU s',
      '200s',
      '304s',
      'parses',
      'item writes',
      'feed-state writes',
      'store req',
      'req/feed',
    ],
    figures.map((row) => [
      row.feeds,
      row.repeat.wallSeconds,
      row.repeat.cpuSeconds,
      row.repeat.responses200,
      row.repeat.responses304,
      Math.max(...row.repeat.parsesEachRound),
      Math.max(...row.repeat.itemWritesEachRound),
      row.repeat.feedStateWrites,
      row.repeat.ingestRequests,
      row.repeat.ingestRequestsPerFeed,
    ]),
  ),
);

const largest = figures.at(-1);
const smallest = figures[0];
const at1000 = figures.find((row) => row.feeds === 1000);
const rssGrowth =
  largest && smallest ? round(largest.rssPeakMiB / smallest.rssPeakMiB, 2) : undefined;
const checks = {
  coldSweepAt1000Under60s: at1000 ? at1000.wallSeconds < TARGETS.wallSecondsAt1000 : undefined,
  updateSweepAt1000Under60s: at1000
    ? at1000.update.wallSeconds < TARGETS.wallSecondsAt1000
    : undefined,
  rssFlat:
    figures.length > 1 && rssGrowth !== undefined ? rssGrowth <= TARGETS.rssGrowthRatio : undefined,
  repeatZeroParses:
    figures.length > 0
      ? figures.every((row) => row.repeat.parsesEachRound.every((count) => count === 0))
      : false,
  repeatZeroItemWrites:
    figures.length > 0
      ? figures.every((row) => row.repeat.itemWritesEachRound.every((count) => count === 0))
      : false,
  noFailedFeeds: figures.every((row) => row.failed === 0),
};
const ok =
  sizes.every((size) => size.run) && Object.values(checks).every((check) => check !== false);
const politeness =
  `poller per-host limit ${done[0]?.run.perHostConcurrency ?? '?'} (keyed on URL host:port), ` +
  `sweep concurrency ${done[0]?.run.concurrency ?? '?'}, ${HOSTS} hosts; ` +
  `most requests in flight on one host: ${Math.max(0, ...figures.map((row) => row.maxInFlightPerHost))}`;
console.log(`\n${politeness}`);
for (const [name, value] of Object.entries(checks)) {
  console.log(`${name}: ${value === undefined ? 'n/a at these sizes' : value ? 'met' : 'NOT met'}`);
}

writeResults('bench-sweep', {
  benchmark: 'bench-sweep',
  runAt: new Date().toISOString(),
  quick,
  machine: machineInfo(),
  setup: {
    hosts: HOSTS,
    latencyMs: LATENCY_MS,
    concurrency: done[0]?.run.concurrency,
    perHostConcurrency: done[0]?.run.perHostConcurrency,
    politeness,
    itemSource: done[0]?.run.source,
    sourceItems: done[0]?.run.sourceItems,
    itemsPerFeed: '20-50 (mean about 35)',
    update: UPDATE,
    rounds: ROUNDS,
    profileVersion: done[0]?.run.profileVersion,
    store: `${done[0]?.run.storeBackend ?? 'unknown'} in its own process`,
    cpu: 'process.cpuUsage of the sweep process (user + system); excludes the store and feed server processes; alerting is measured apart, after each sweep',
  },
  targets: TARGETS,
  figures,
  rssGrowthRatio: rssGrowth,
  checks,
  ok,
  headline: largest
    ? {
        figure: `${largest.feeds} feeds: cold ${largest.wallSeconds} s, update ${largest.update.wallSeconds} s; repeat: ${Math.max(...largest.repeat.parsesEachRound)} parses, ${Math.max(...largest.repeat.itemWritesEachRound)} item writes; one chunk (${smallest?.feeds} feeds): ${smallest?.wallSeconds} s, peak RSS ${smallest?.rssPeakMiB} MiB`,
        target: '1,000 feeds < 60 s; repeat 0 parses, 0 writes',
        pass: ok,
      }
    : { figure: 'no size completed', target: '', pass: false },
  runs: sizes.map((size) =>
    size.run
      ? {
          feeds: size.feeds,
          feedStateBytesMean: size.run.feedStateBytesMean,
          first: size.run.first,
          update: size.run.update,
          repeat: size.run.repeat,
        }
      : { feeds: size.feeds, error: size.error },
  ),
});
if (!ok) process.exitCode = 1;

/**
 * Monthly AWS cost of newswatch for N feeds polled every M minutes, itemised, from the request
 * counts and CPU times bench-sweep measured (bench/results/bench-sweep.json), the import times
 * bench-bundles measured and the page cost bench-store measured; documented defaults with a
 * warning when a result file is missing. Prints the model with every assumption and writes
 * bench/results/cost-model.json.
 *
 * Run: npx tsx bench/cost-model.ts [--feeds 200] [--minutes 15] [--new-items-per-feed-day 24]
 *      [--fetch-ms 400] [--api-requests 3000] [--emails 1] [--monitoring essential|full]
 *      [--ops-topic-encryption none|kms]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type MetricsLevel, MetricsLevelSchema } from '#shared/observability/metrics-level.ts';
import { monitoringFacts, readInfraFacts } from './lib/infra-facts.ts';
import { readResults, writeResults } from './lib/results.ts';
import { formatTable, round } from './lib/table.ts';

/**
 * Unit prices, us-east-1, on-demand list prices as known to the author (AWS pricing pages as of
 * 2025), written down on 2026-11-29. They are NOT fetched: check them against
 * https://aws.amazon.com/pricing/ before relying on the totals.
 */
export const PRICES = {
  region: 'us-east-1',
  takenOn: '2026-11-29',
  source: 'list prices as known to the author (2025 pricing pages), dated, to be checked',
  lambda: { perMillionRequests: 0.2, perGbSecondArm64: 0.0000133334 },
  dynamodb: {
    perMillionWriteRequestUnits: 0.625,
    perMillionReadRequestUnits: 0.125,
    storagePerGbMonth: 0.25,
    pitrPerGbMonth: 0.2,
  },
  sqs: { perMillionRequests: 0.4 },
  sns: { perMillionPublishes: 0.5, perHundredThousandEmails: 2.0 },
  apiGatewayRest: { perMillionRequests: 3.5 },
  cloudwatch: {
    logsIngestionPerGb: 0.5,
    logsStoragePerGbMonth: 0.03,
    customMetricPerMonth: 0.3,
    alarmPerMetricMonth: 0.1,
    dashboardPerMonth: 3.0,
  },
  scheduler: { perMillionInvocations: 1.0 },
  xray: { perMillionTracesRecorded: 5.0 },
  kms: { keyPerMonth: 1.0, perTenThousandRequests: 0.03 },
} as const;

/** The always-free tier, shown separately: an account may already use it up elsewhere. */
export const FREE_TIER = {
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  sqsRequests: 1_000_000,
  snsPublishes: 1_000_000,
  snsEmails: 1_000,
  dynamodbStorageGb: 25,
  customMetrics: 10,
  alarms: 10,
  dashboards: 3,
  logsGb: 5,
  schedulerInvocations: 14_000_000,
  xrayTraces: 100_000,
} as const;

const warnings: string[] = [];

/** Settings as infra/ had them when this was written; read afresh below, a warning when not found. */
const STACK_DEFAULTS = {
  memoryMiB: { schedule: 256, ingest: 512, alert: 512, api: 512 },
  ingestBatchSize: 10,
  maxConcurrentIngests: 10,
  maxFeedsPerChunk: 50,
  feedConcurrencyPerInvocation: 20,
  ingestTrigger: 'async' as 'sqs' | 'async',
  notModifiedRecordEveryMinutes: 60,
};

function stackSettings(): typeof STACK_DEFAULTS {
  const facts = readInfraFacts();
  const memoryMiB = { ...STACK_DEFAULTS.memoryMiB };
  for (const fn of Object.keys(memoryMiB) as (keyof typeof memoryMiB)[]) {
    const found = facts.memoryMiB[fn];
    if (found) memoryMiB[fn] = found;
    else
      warnings.push(
        `memory of the ${fn} function not found in infra/: ${memoryMiB[fn]} MB assumed`,
      );
  }
  const pick = <K extends Exclude<keyof typeof STACK_DEFAULTS, 'memoryMiB'>>(
    key: K,
    where: string,
  ): (typeof STACK_DEFAULTS)[K] => {
    const found = facts[key] as (typeof STACK_DEFAULTS)[K] | undefined;
    if (found !== undefined) return found;
    warnings.push(`${key} not found in ${where}: ${String(STACK_DEFAULTS[key])} assumed`);
    return STACK_DEFAULTS[key];
  };
  return {
    memoryMiB,
    ingestBatchSize: pick('ingestBatchSize', 'infra/sweep-pipeline.ts'),
    maxConcurrentIngests: pick('maxConcurrentIngests', 'infra/sweep-pipeline.ts'),
    maxFeedsPerChunk: pick('maxFeedsPerChunk', 'shared/config/lambda-env.ts'),
    feedConcurrencyPerInvocation: pick(
      'feedConcurrencyPerInvocation',
      'functions/ingest/ingest-event.ts',
    ),
    ingestTrigger: pick('ingestTrigger', 'infra/sweep-pipeline.ts'),
    notModifiedRecordEveryMinutes: pick(
      'notModifiedRecordEveryMinutes',
      'shared/sweep/feed-health.ts',
    ),
  };
}

const HOURS_PER_MONTH = 730;
const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;

/**
 * Used when a measurement is missing, each named in the output when it is used: the figures of a
 * bench-sweep run at 1,000 feeds on DynamoDB Local (2026-12-07), import times of an idle machine.
 */
const DEFAULTS = {
  perPoll: { rru: 0.5, wru: 0, indexWrites: 0, requests: 0.01, cpuMs: 0.33 },
  perNewItem: { rru: 0.7, wru: 1.8, indexWrites: 0.76, requests: 0.64, cpuMs: 1.2 },
  matchesPerNewItem: 0.124,
  alertWorthyPerNewItem: 0.017,
  perAlertWorthy: { rru: 0.34, wru: 2.84, requests: 3.5, cpuMs: 5 },
  importMs: { schedule: 150, ingest: 400, alert: 200, api: 200 },
  apiPageRru: 15,
  /** A feed state with its item digests (a 35-item feed; bench-sweep measured 891 bytes). */
  feedStateBytes: 900,
};

const ASSUMPTIONS = {
  /** Lambda runtime start before the handler module is imported. */
  runtimeStartMs: 150,
  /** Environments are reclaimed between 15-minute ticks: each tick starts cold, INIT billed (since 2025-08). */
  coldStartsPerTick: 'one per environment used',
  /** Lambda gives a full vCPU at 1769 MB; below that CPU work stretches in proportion. */
  fullVcpuMb: 1769,
  /** Only if ingest has an SQS event source: five pollers long-polling (20 s) even when idle. */
  sqsIdlePollers: 5,
  sqsLongPollSeconds: 20,
  /**
   * CloudWatch Logs bytes: platform START/END/REPORT lines and one summary line per invocation,
   * the EMF blob per invocation (metrics ride in the logs) by level, and a warn line per failed
   * feed; per-feed success lines are at debug, not written at the INFO level.
   */
  logBytesPerInvocation: 600,
  logBytesPerSummaryLine: 400,
  emfBytesPerInvocation: { essential: 250, full: 900 },
  failedPollShare: 0.02,
  logBytesPerFailureLine: 500,
  /** Stored bytes per item, GSI copies included. */
  matchBytes: 3000,
  /** Seen-ledger entries exist for matches only (about three dedupe keys each), for 30 days. */
  ledgerBytesPerMatch: 400,
  storyBytesPerMatch: 400,
  /** Schedule function: reads every feed's state; duration besides its init. */
  scheduleMs: 300,
  apiMsPerRequest: 120,
};

const options = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    minutes: { type: 'string', default: '15' },
    'new-items-per-feed-day': { type: 'string', default: '24' },
    'fetch-ms': { type: 'string', default: '400' },
    'api-requests': { type: 'string', default: '3000' },
    emails: { type: 'string', default: '1' },
    monitoring: { type: 'string', default: 'essential' },
    'ops-topic-encryption': { type: 'string', default: 'none' },
    quick: { type: 'boolean', default: false },
  },
}).values;

const InputSchema = z.object({
  feeds: z.coerce.number().int().positive(),
  minutes: z.coerce.number().int().min(1).max(1440),
  newItemsPerFeedDay: z.coerce.number().min(0),
  fetchMs: z.coerce.number().min(0),
  apiRequests: z.coerce.number().int().min(0),
  emails: z.coerce.number().int().min(0),
  monitoring: MetricsLevelSchema,
  opsTopicEncryption: z.enum(['none', 'kms']),
});
const input = InputSchema.parse({
  feeds: options.feeds,
  minutes: options.minutes,
  newItemsPerFeedDay: options['new-items-per-feed-day'],
  fetchMs: options['fetch-ms'],
  apiRequests: options['api-requests'],
  emails: options.emails,
  monitoring: options.monitoring,
  opsTopicEncryption: options['ops-topic-encryption'],
});

/** What the deployed stack is, from infra/ (sweep-pipeline.ts, alert-pipeline.ts, monitoring.ts, notification-topics.ts). */
const STACK = {
  ...stackSettings(),
  /** The topics' customer-managed KMS key exists only with -c opsTopicEncryption=kms. */
  kmsKeys: input.opsTopicEncryption === 'kms' ? 1 : 0,
  monitoring: monitoringFacts(input.monitoring),
  maxAlertsPerHour: 30,
};

const TallySchema = z.object({
  requests: z.record(z.string(), z.number()),
  indexWrites: z.number(),
  readCapacityUnits: z.number(),
  writeCapacityUnits: z.number(),
});
const SweepSchema = z.object({
  summary: z.object({ feeds: z.number(), newItems: z.number(), matches: z.number() }),
  cpuUserMs: z.number(),
  cpuSystemMs: z.number(),
  alertWorthy: z.number().default(0),
  ingestStore: TallySchema,
  alertStore: TallySchema,
});
const SweepResultsSchema = z.object({
  runs: z.array(
    z.object({
      feeds: z.number(),
      feedStateBytesMean: z.number().optional(),
      first: SweepSchema.optional(),
      update: SweepSchema.optional(),
      repeat: SweepSchema.optional(),
    }),
  ),
});

type Sweep = z.infer<typeof SweepSchema>;
const requestsOf = (tally: Sweep['ingestStore']) =>
  Object.values(tally.requests).reduce((sum, count) => sum + count, 0);
const cpuOf = (sweep: Sweep) => sweep.cpuUserMs + sweep.cpuSystemMs;

/** Per-poll and per-new-item figures from the largest complete bench-sweep run. */
function measured() {
  const parsed = SweepResultsSchema.safeParse(readResults('bench-sweep'));
  const runs = parsed.success
    ? parsed.data.runs.filter((run) => run.first && run.update && run.repeat)
    : [];
  // The largest run: the steadiest per-feed averages (a results file may hold several sizes).
  const run = runs.reduce<(typeof runs)[number] | undefined>(
    (largest, candidate) => (largest && largest.feeds >= candidate.feeds ? largest : candidate),
    undefined,
  );
  if (!run?.first || !run.update || !run.repeat) {
    warnings.push(
      'bench/results/bench-sweep.json missing or incomplete: per-feed and per-item figures are documented defaults (run npx tsx bench/bench-sweep.ts)',
    );
    return { source: 'defaults', ...DEFAULTS };
  }
  const { first, update, repeat } = run;
  const feeds = run.feeds;
  const perPoll = {
    rru: repeat.ingestStore.readCapacityUnits / feeds,
    wru: repeat.ingestStore.writeCapacityUnits / feeds,
    indexWrites: repeat.ingestStore.indexWrites / feeds,
    requests: requestsOf(repeat.ingestStore) / feeds,
    cpuMs: cpuOf(repeat) / feeds,
  };
  const fresh = Math.max(1, update.summary.newItems);
  const perNewItem = {
    rru: (update.ingestStore.readCapacityUnits - perPoll.rru * feeds) / fresh,
    wru: (update.ingestStore.writeCapacityUnits - perPoll.wru * feeds) / fresh,
    indexWrites: (update.ingestStore.indexWrites - perPoll.indexWrites * feeds) / fresh,
    requests: (requestsOf(update.ingestStore) - perPoll.requests * feeds) / fresh,
    cpuMs: Math.max(0, cpuOf(update) - perPoll.cpuMs * feeds) / fresh,
  };
  // Alert costs from the sweep with the most alert-worthy matches, for a steadier average.
  const alertSource = update.alertWorthy >= first.alertWorthy ? update : first;
  const worthy = Math.max(1, alertSource.alertWorthy);
  return {
    source: `bench-sweep, ${feeds} feeds (update sweep for costs, first sweep for match rates)`,
    perPoll,
    perNewItem,
    matchesPerNewItem: first.summary.matches / Math.max(1, first.summary.newItems),
    alertWorthyPerNewItem: first.alertWorthy / Math.max(1, first.summary.newItems),
    perAlertWorthy: {
      rru: alertSource.alertStore.readCapacityUnits / worthy,
      wru:
        (alertSource.alertStore.writeCapacityUnits + alertSource.alertStore.indexWrites) / worthy,
      requests: requestsOf(alertSource.alertStore) / worthy,
      cpuMs: DEFAULTS.perAlertWorthy.cpuMs,
    },
    importMs: DEFAULTS.importMs,
    apiPageRru: DEFAULTS.apiPageRru,
    feedStateBytes: run.feedStateBytesMean ?? DEFAULTS.feedStateBytes,
  };
}

function importTimes(): Record<keyof typeof STACK.memoryMiB, number> {
  const parsed = z
    .object({
      results: z.array(
        z.object({ function: z.string(), importMs: z.object({ median: z.number() }) }),
      ),
    })
    .safeParse(readResults('bench-bundles'));
  if (!parsed.success) {
    warnings.push(
      `bench/results/bench-bundles.json missing: handler import times are defaults ${JSON.stringify(DEFAULTS.importMs)} ms`,
    );
    return DEFAULTS.importMs;
  }
  const times = { ...DEFAULTS.importMs };
  for (const row of parsed.data.results) {
    if (row.function in times) times[row.function as keyof typeof times] = row.importMs.median;
  }
  return times;
}

function apiPageRru(): number {
  const parsed = z
    .object({ pages: z.array(z.object({ sweep: z.string(), capacityUnits: z.number() })) })
    .safeParse(readResults('bench-store'));
  const page = parsed.success
    ? parsed.data.pages.findLast((row) => row.sweep.includes('newest'))
    : undefined;
  if (!page) {
    warnings.push(
      `bench/results/bench-store.json missing: an API page costs ${DEFAULTS.apiPageRru} RRU (default)`,
    );
    return DEFAULTS.apiPageRru;
  }
  return page.capacityUnits;
}

const m = measured();
const imports = importTimes();
const pageRru = apiPageRru();

// Volumes per month.
const ticks = MINUTES_PER_MONTH / input.minutes;
const polls = ticks * input.feeds;
const newItems = (input.newItemsPerFeedDay * input.feeds * HOURS_PER_MONTH) / 24;
const matches = newItems * m.matchesPerNewItem;
const alertWorthy = newItems * m.alertWorthyPerNewItem;
const alertsSent = Math.min(alertWorthy, STACK.maxAlertsPerHour * HOURS_PER_MONTH);
// Upper bound: as if no new item had written a feed's state within the interval.
const staleStateWrites =
  input.feeds * (MINUTES_PER_MONTH / Math.max(input.minutes, STACK.notModifiedRecordEveryMinutes));

// Lambda. A tick is cut like functions/schedule/chunk-feeds.ts does: chunks of ingestBatchSize
// feeds, grown (up to maxFeedsPerChunk) so a tick needs at most maxConcurrentIngests of them.
const chunkSize = Math.min(
  STACK.maxFeedsPerChunk,
  Math.max(STACK.ingestBatchSize, Math.ceil(input.feeds / STACK.maxConcurrentIngests)),
);
const invocationsPerTick = Math.ceil(input.feeds / chunkSize);
const fetchRoundsPerInvocation = Math.ceil(
  Math.min(chunkSize, input.feeds) / STACK.feedConcurrencyPerInvocation,
);
const ingestEnvironments = Math.min(STACK.maxConcurrentIngests, invocationsPerTick);
const cpuStretch = (memoryMiB: number) => Math.max(1, ASSUMPTIONS.fullVcpuMb / memoryMiB);
const initMs = (fn: keyof typeof imports) => ASSUMPTIONS.runtimeStartMs + imports[fn];
// A chunk's feeds are fetched in parallel, so one fetch wait per round of feeds; their CPU work
// adds up on the one vCPU share.
const ingestCpuMsPerMonth =
  (polls * m.perPoll.cpuMs + newItems * m.perNewItem.cpuMs) * cpuStretch(STACK.memoryMiB.ingest);
const ingestInvocations = ticks * invocationsPerTick;
const ingestMs =
  ingestInvocations * fetchRoundsPerInvocation * input.fetchMs +
  ingestCpuMsPerMonth +
  ticks * ingestEnvironments * initMs('ingest');
const scheduleMs = ticks * (ASSUMPTIONS.scheduleMs + initMs('schedule'));
const alertInvocations = alertWorthy; // stream batches can merge them: an upper bound
const alertMs =
  alertInvocations * (m.perAlertWorthy.cpuMs * cpuStretch(STACK.memoryMiB.alert) + 50) +
  Math.min(alertInvocations, ticks) * initMs('alert');
const apiMs =
  input.apiRequests * ASSUMPTIONS.apiMsPerRequest +
  Math.min(input.apiRequests, HOURS_PER_MONTH) * initMs('api');
const gbSeconds = (ms: number, memoryMiB: number) => (ms / 1000) * (memoryMiB / 1024);
const lambdaRequests = ticks + ingestInvocations + alertInvocations + input.apiRequests;

interface Line {
  service: string;
  item: string;
  quantity: number;
  unit: string;
  usd: number;
  fixed: boolean;
  monitoring: boolean;
}
type LineInput = Omit<Line, 'fixed' | 'monitoring'> & { fixed?: boolean; monitoring?: boolean };

/** The lines every variant shares: usage that does not depend on the monitoring level or the key. */
function usageLines(): Line[] {
  const lines: Line[] = [];
  const add = (line: LineInput) => lines.push({ fixed: false, monitoring: false, ...line });
  add({
    service: 'Lambda',
    item: `requests (schedule, ingest ${STACK.ingestTrigger === 'async' ? 'async invocations' : 'SQS batches'}, alert, api)`,
    quantity: lambdaRequests,
    unit: 'requests',
    usd: (lambdaRequests / 1e6) * PRICES.lambda.perMillionRequests,
  });
  for (const [fn, ms] of [
    ['schedule', scheduleMs],
    ['ingest', ingestMs],
    ['alert', alertMs],
    ['api', apiMs],
  ] as const) {
    const gbs = gbSeconds(ms, STACK.memoryMiB[fn]);
    add({
      service: 'Lambda',
      item: `${fn} compute (${STACK.memoryMiB[fn]} MB arm64, INIT included)`,
      quantity: gbs,
      unit: 'GB-s',
      usd: gbs * PRICES.lambda.perGbSecondArm64,
    });
  }

  const writeUnits =
    polls * (m.perPoll.wru + m.perPoll.indexWrites) +
    staleStateWrites +
    newItems * (m.perNewItem.wru + m.perNewItem.indexWrites) +
    alertWorthy * m.perAlertWorthy.wru;
  const readUnits =
    polls * m.perPoll.rru +
    newItems * m.perNewItem.rru +
    alertWorthy * m.perAlertWorthy.rru +
    // schedule: one strongly consistent Query of every feed state a tick, 1 RRU per 4 KB read
    ticks * Math.max(1, Math.ceil((input.feeds * m.feedStateBytes) / 4096)) +
    input.apiRequests * pageRru;
  add({
    service: 'DynamoDB',
    item: `write request units (GSI writes, feed state after 304s every ${STACK.notModifiedRecordEveryMinutes} min included)`,
    quantity: writeUnits,
    unit: 'WRU',
    usd: (writeUnits / 1e6) * PRICES.dynamodb.perMillionWriteRequestUnits,
  });
  add({
    service: 'DynamoDB',
    item: 'read request units',
    quantity: readUnits,
    unit: 'RRU',
    usd: (readUnits / 1e6) * PRICES.dynamodb.perMillionReadRequestUnits,
  });
  // Storage after a year of matches and stories (365-day retention), the ledger for its 30 days.
  const storageGb =
    (matches * 12 * (ASSUMPTIONS.matchBytes + ASSUMPTIONS.storyBytesPerMatch) +
      matches * ASSUMPTIONS.ledgerBytesPerMatch) /
    1e9;
  add({
    service: 'DynamoDB',
    item: 'storage after 12 months',
    quantity: storageGb,
    unit: 'GB-month',
    usd: storageGb * PRICES.dynamodb.storagePerGbMonth,
  });
  add({
    service: 'DynamoDB',
    item: 'point-in-time recovery',
    quantity: storageGb,
    unit: 'GB-month',
    usd: storageGb * PRICES.dynamodb.pitrPerGbMonth,
  });

  if (STACK.ingestTrigger === 'sqs') {
    const idlePolls =
      (ASSUMPTIONS.sqsIdlePollers * (MINUTES_PER_MONTH * 60)) / ASSUMPTIONS.sqsLongPollSeconds;
    const sqsRequests =
      ticks * Math.ceil(invocationsPerTick / 10) + ingestInvocations * 2 + idlePolls;
    add({
      service: 'SQS',
      item: 'send batches, receives, deletes, idle long polls of the event source',
      quantity: sqsRequests,
      unit: 'requests',
      usd: (sqsRequests / 1e6) * PRICES.sqs.perMillionRequests,
    });
  } else {
    add({
      service: 'SQS',
      item: 'dead-letter queues only (no event source polling; a message only when something failed)',
      quantity: 0,
      unit: 'requests',
      usd: 0,
    });
  }

  add({
    service: 'SNS',
    item: `publishes (capped at ${STACK.maxAlertsPerHour}/hour)`,
    quantity: alertsSent,
    unit: 'publishes',
    usd: (alertsSent / 1e6) * PRICES.sns.perMillionPublishes,
  });
  const emails = alertsSent * input.emails;
  add({
    service: 'SNS',
    item: `email deliveries (${input.emails} subscriber)`,
    quantity: emails,
    unit: 'emails',
    usd: (emails / 1e5) * PRICES.sns.perHundredThousandEmails,
  });
  const kmsRequests = alertsSent * 2;
  add({
    service: 'KMS',
    item: "requests on the alert topic's key (SNS publish and delivery)",
    quantity: kmsRequests,
    unit: 'requests',
    usd: (kmsRequests / 1e4) * PRICES.kms.perTenThousandRequests,
  });
  add({
    service: 'API Gateway',
    item: 'REST requests (assumed query rate)',
    quantity: input.apiRequests,
    unit: 'requests',
    usd: (input.apiRequests / 1e6) * PRICES.apiGatewayRest.perMillionRequests,
  });
  add({
    service: 'EventBridge Scheduler',
    item: 'ticks',
    quantity: ticks,
    unit: 'invocations',
    usd: (ticks / 1e6) * PRICES.scheduler.perMillionInvocations,
  });
  // A trace is billed once, however many invocations it spans: a tick's ingest invocations
  // continue the schedule function's trace (the trace header rides on each Invoke, with its
  // sampling decision), and an API request's trace holds its function's. Counting every tick,
  // alert batch and API request as sampled is the upper bound (Lambda samples the first request
  // each second and 5% of the rest).
  const traces = ticks + alertInvocations + input.apiRequests;
  add({
    service: 'X-Ray',
    item: 'traces recorded (ticks with their ingest invocations, alert batches, API requests)',
    quantity: traces,
    unit: 'traces',
    usd: (traces / 1e6) * PRICES.xray.perMillionTracesRecorded,
  });
  return lines;
}

/** The lines that depend on the monitoring level: logs (EMF size) and the fixed monitoring costs. */
function monitoringLines(level: MetricsLevel): Line[] {
  const facts = monitoringFacts(level);
  const lines: Line[] = [];
  const add = (line: LineInput) => lines.push({ fixed: false, monitoring: false, ...line });
  const logGb =
    (lambdaRequests * ASSUMPTIONS.logBytesPerInvocation +
      (ticks + ingestInvocations) *
        (ASSUMPTIONS.logBytesPerSummaryLine + ASSUMPTIONS.emfBytesPerInvocation[level]) +
      polls * ASSUMPTIONS.failedPollShare * ASSUMPTIONS.logBytesPerFailureLine) /
    1e9;
  add({
    service: 'CloudWatch',
    item: 'logs ingestion (metrics ride in the logs as EMF)',
    quantity: logGb,
    unit: 'GB',
    usd: logGb * PRICES.cloudwatch.logsIngestionPerGb,
  });
  add({
    service: 'CloudWatch',
    item: 'logs storage (1-month retention)',
    quantity: logGb,
    unit: 'GB-month',
    usd: logGb * PRICES.cloudwatch.logsStoragePerGbMonth,
  });
  add({
    service: 'CloudWatch',
    item: `custom metrics (${level})`,
    quantity: facts.customMetrics,
    unit: 'metrics',
    usd: facts.customMetrics * PRICES.cloudwatch.customMetricPerMonth,
    fixed: true,
    monitoring: true,
  });
  add({
    service: 'CloudWatch',
    item: `alarms (${level})`,
    quantity: facts.alarmMetrics,
    unit: 'alarm metrics',
    usd: facts.alarmMetrics * PRICES.cloudwatch.alarmPerMetricMonth,
    fixed: true,
    monitoring: true,
  });
  add({
    service: 'CloudWatch',
    item: `dashboard (${level})`,
    quantity: facts.dashboards,
    unit: 'dashboards',
    usd: facts.dashboards * PRICES.cloudwatch.dashboardPerMonth,
    fixed: true,
    monitoring: true,
  });
  return lines;
}

function keyLines(encryption: 'none' | 'kms'): Line[] {
  const keys = encryption === 'kms' ? 1 : 0;
  return [
    {
      service: 'KMS',
      item: 'customer-managed key of the topics (only with -c opsTopicEncryption=kms)',
      quantity: keys,
      unit: 'keys',
      usd: keys * PRICES.kms.keyPerMonth,
      fixed: true,
      monitoring: false,
    },
  ];
}

/** The always-free tier, applied per service. */
function freeTierSavings(lines: readonly Line[]): number {
  const lambdaCompute = lines.filter((line) => line.unit === 'GB-s');
  const gbsTotal = lambdaCompute.reduce((sum, line) => sum + line.quantity, 0);
  const lambdaUsd = lambdaCompute.reduce((sum, line) => sum + line.usd, 0);
  const saving = (line: Line | undefined, free: number) =>
    line ? line.usd * Math.min(1, free / Math.max(1, line.quantity)) : 0;
  const find = (service: string, item: string) =>
    lines.find((line) => line.service === service && line.item.startsWith(item));
  return (
    lambdaUsd * Math.min(1, FREE_TIER.lambdaGbSeconds / Math.max(1, gbsTotal)) +
    saving(find('Lambda', 'requests'), FREE_TIER.lambdaRequests) +
    saving(find('SQS', 'send'), FREE_TIER.sqsRequests) +
    saving(find('SNS', 'publishes'), FREE_TIER.snsPublishes) +
    saving(find('SNS', 'email'), FREE_TIER.snsEmails) +
    saving(find('DynamoDB', 'storage'), FREE_TIER.dynamodbStorageGb) +
    saving(find('CloudWatch', 'custom metrics'), FREE_TIER.customMetrics) +
    saving(find('CloudWatch', 'alarms'), FREE_TIER.alarms) +
    saving(find('CloudWatch', 'dashboard'), FREE_TIER.dashboards) +
    saving(find('CloudWatch', 'logs ingestion'), FREE_TIER.logsGb) +
    saving(find('EventBridge', 'ticks'), FREE_TIER.schedulerInvocations) +
    saving(find('X-Ray', 'traces'), FREE_TIER.xrayTraces)
  );
}

function totalsOf(lines: readonly Line[]) {
  const sum = (filter: (line: Line) => boolean) =>
    lines.filter(filter).reduce((total, line) => total + line.usd, 0);
  const total = sum(() => true);
  return {
    listPrice: round(total, 2),
    withoutFixedMonitoring: round(total - sum((line) => line.monitoring), 2),
    usageOnly: round(total - sum((line) => line.fixed), 2),
    fixedMonitoring: round(
      sum((line) => line.monitoring),
      2,
    ),
    withAlwaysFreeTier: round(total - freeTierSavings(lines), 2),
  };
}

const usage = usageLines();
const lines = [
  ...usage,
  ...monitoringLines(input.monitoring),
  ...keyLines(input.opsTopicEncryption),
];
const totals = totalsOf(lines);
const otherLevel: MetricsLevel = input.monitoring === 'essential' ? 'full' : 'essential';
const otherKey = input.opsTopicEncryption === 'none' ? 'kms' : 'none';
const alternatives = {
  [`monitoring ${otherLevel}`]: totalsOf([
    ...usage,
    ...monitoringLines(otherLevel),
    ...keyLines(input.opsTopicEncryption),
  ]),
  [`monitoring ${input.monitoring}, topic key ${otherKey}`]: totalsOf([
    ...usage,
    ...monitoringLines(input.monitoring),
    ...keyLines(otherKey),
  ]),
};
/** The monthly bill newswatch aims at, at list price with the default monitoring: 200 and 2,000 feeds every 15 minutes. */
const TARGETS_USD: Record<number, number> = { 200: 2, 2000: 10 };
const TARGET_USD = input.minutes === 15 ? TARGETS_USD[input.feeds] : undefined;
const meets = (usd: number) => TARGET_USD === undefined || usd <= TARGET_USD;

console.log(
  `\nMonthly cost model: ${input.feeds} feeds every ${input.minutes} min, ${input.newItemsPerFeedDay} new items per feed per day, ` +
    `${input.apiRequests} API requests, ${input.emails} email subscriber(s)\n` +
    `Stack: monitoring ${input.monitoring}, topic key ${input.opsTopicEncryption}, ingest by ${STACK.ingestTrigger === 'async' ? 'asynchronous invocations' : 'an SQS event source'}, ` +
    `${invocationsPerTick} chunks of ${chunkSize} feeds per tick (ingestBatchSize ${STACK.ingestBatchSize}, at most ${STACK.maxConcurrentIngests} at once), ingest ${STACK.memoryMiB.ingest} MB\n` +
    `Prices: ${PRICES.region}, ${PRICES.source}, taken ${PRICES.takenOn}\nMeasured inputs: ${m.source}\n`,
);
const formatQuantity = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : String(round(value, 3));
console.log(
  formatTable(
    ['service', 'item', 'per month', 'unit', 'USD', 'kind'],
    [...lines]
      .sort((a, b) => b.usd - a.usd)
      .map((line) => [
        line.service,
        line.item,
        formatQuantity(line.quantity),
        line.unit,
        line.usd.toFixed(3),
        line.monitoring ? 'fixed, monitoring' : line.fixed ? 'fixed' : 'usage',
      ]),
  ),
);
console.log(
  `\nAlarms (${input.monitoring}, one metric each): ${STACK.monitoring.alarms.join('; ')}\n` +
    `\ntotal at list price:              $${totals.listPrice.toFixed(2)}/month (monitoring ${input.monitoring}, topic key ${input.opsTopicEncryption})\n` +
    `without fixed monitoring costs:   $${totals.withoutFixedMonitoring.toFixed(2)}/month (custom metrics, alarms, dashboard: $${totals.fixedMonitoring.toFixed(2)})\n` +
    `usage only (no fixed costs):      $${totals.usageOnly.toFixed(2)}/month (also without any KMS key)\n` +
    `with the always-free tier:        $${totals.withAlwaysFreeTier.toFixed(2)}/month (if the account has it to spare)\n` +
    Object.entries(alternatives)
      .map(
        ([name, alt]) =>
          `alternative, ${name}: $${alt.listPrice.toFixed(2)}/month (fixed monitoring $${alt.fixedMonitoring.toFixed(2)}; with the always-free tier $${alt.withAlwaysFreeTier.toFixed(2)})\n`,
      )
      .join('') +
    (TARGET_USD === undefined
      ? 'no target for this feed count and interval'
      : `target: at most $${TARGET_USD}/month at list price: ${meets(totals.listPrice) ? 'met' : 'NOT met'}; ` +
        `without fixed monitoring: ${meets(totals.withoutFixedMonitoring) ? 'met' : 'NOT met'}`),
);
console.log('\nPer unit (from the measurements):');
console.log(
  `  per feed poll: ${round(m.perPoll.requests, 2)} requests, ${round(m.perPoll.rru, 2)} RRU, ${round(m.perPoll.wru + m.perPoll.indexWrites, 2)} WRU, ${round(m.perPoll.cpuMs, 2)} ms CPU\n` +
    `  per new item: ${round(m.perNewItem.requests, 2)} requests, ${round(m.perNewItem.rru, 1)} RRU, ${round(m.perNewItem.wru + m.perNewItem.indexWrites, 2)} WRU, ${round(m.perNewItem.cpuMs, 2)} ms CPU; ` +
    `${round(m.matchesPerNewItem, 3)} matches, ${round(m.alertWorthyPerNewItem, 3)} alert-worthy\n` +
    `  feed state: ${m.feedStateBytes} bytes (the schedule function reads them all each tick)`,
);
console.log('\nAssumptions:');
for (const [name, value] of Object.entries(ASSUMPTIONS)) {
  console.log(`  ${name}: ${JSON.stringify(value)}`);
}
for (const warning of warnings) console.warn(`warning: ${warning}`);

writeResults('cost-model', {
  benchmark: 'cost-model',
  runAt: new Date().toISOString(),
  input,
  prices: PRICES,
  freeTier: FREE_TIER,
  stack: STACK,
  assumptions: ASSUMPTIONS,
  measured: m,
  handlerImportMs: imports,
  apiPageRru: pageRru,
  volumes: {
    ticks: round(ticks),
    polls: round(polls),
    newItems: round(newItems),
    matches: round(matches),
    alertWorthy: round(alertWorthy),
    alertsSent: round(alertsSent),
    chunkSize,
    ingestInvocationsPerTick: invocationsPerTick,
    ingestInvocations: round(ingestInvocations),
    staleFeedStateWrites: round(staleStateWrites),
  },
  lines: lines.map((line) => ({
    ...line,
    quantity: round(line.quantity, 3),
    usd: round(line.usd, 4),
  })),
  totals,
  alternatives,
  targetUsd: TARGET_USD,
  warnings,
  headline: {
    figure: `$${totals.listPrice.toFixed(2)}/month list, monitoring ${input.monitoring} ($${totals.withoutFixedMonitoring.toFixed(2)} without fixed monitoring, $${totals.usageOnly.toFixed(2)} usage only) for ${input.feeds} feeds / ${input.minutes} min`,
    target: TARGET_USD === undefined ? 'none' : `<= $${TARGET_USD}/month`,
    pass: meets(totals.listPrice),
  },
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MetricName } from '#shared/observability/metric-names.ts';
import { ESSENTIAL_METRIC_NAMES, type MetricsLevel } from '#shared/observability/metrics-level.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const INFRA_DIR = resolve(ROOT, 'infra');

export interface InfraFacts {
  memoryMiB: Record<string, number>;
  ingestBatchSize?: number;
  maxConcurrentIngests?: number;
  /** Largest chunk of feeds one ingest invocation takes (shared/config/lambda-env.ts). */
  maxFeedsPerChunk?: number;
  /** Feeds one ingest invocation polls at once. */
  feedConcurrencyPerInvocation?: number;
  /** How ingest is triggered: an SQS event source (pollers) or asynchronous invocations. */
  ingestTrigger?: 'sqs' | 'async';
  /** After a 304, the feed state is written again only this often (shared/sweep/feed-health.ts). */
  notModifiedRecordEveryMinutes?: number;
}

/** Evaluates a constant written as a product of integers (`60 * 60_000`). */
function product(expression: string): number {
  return expression
    .split('*')
    .map((part) => Number(part.trim().replaceAll('_', '')))
    .reduce((a, b) => a * b, 1);
}

function readIfPresent(path: string): string | undefined {
  const file = resolve(ROOT, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * Function memory sizes, the ingest chunk settings and trigger, read from the CDK and handler
 * sources (the `entry: FUNCTION_ENTRIES.<fn>` ... `memorySizeInMiB: N` pairs, the `?? N`
 * defaults, the exported constants), so the cost model follows the code. What it cannot find
 * stays missing for the caller's default.
 */
export function readInfraFacts(): InfraFacts {
  const facts: InfraFacts = { memoryMiB: {} };
  if (!existsSync(INFRA_DIR)) return facts;
  for (const file of readdirSync(INFRA_DIR).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(resolve(INFRA_DIR, file), 'utf8');
    for (const match of text.matchAll(
      /entry: FUNCTION_ENTRIES\.(\w+),[\s\S]{0,400}?memorySizeInMiB: (\d+)/g,
    )) {
      facts.memoryMiB[match[1] as string] = Number(match[2]);
    }
    const batch = /ingestBatchSize \?\? (\d+)/.exec(text);
    if (batch) facts.ingestBatchSize = Number(batch[1]);
    const concurrency = /maxConcurrentIngests \?\? (\d+)/.exec(text);
    if (concurrency) facts.maxConcurrentIngests = Number(concurrency[1]);
    if (file === 'sweep-pipeline.ts') {
      facts.ingestTrigger = /new SqsEventSource\(/.test(text) ? 'sqs' : 'async';
    }
  }
  const env = readIfPresent('shared/config/lambda-env.ts');
  const chunk = env && /MAX_FEEDS_PER_EVENT = (\d+)/.exec(env);
  const event = readIfPresent('functions/ingest/ingest-event.ts');
  if (chunk) facts.maxFeedsPerChunk = Number(chunk[1]);
  const parallel = event && /INGEST_FEED_CONCURRENCY = (\d+)/.exec(event);
  if (parallel) facts.feedConcurrencyPerInvocation = Number(parallel[1]);
  const health = readIfPresent('shared/sweep/feed-health.ts');
  const record = health && /NOT_MODIFIED_RECORD_EVERY_MS = ([\d_ *]+);/.exec(health);
  if (record) facts.notModifiedRecordEveryMinutes = product(record[1] as string) / 60_000;
  return facts;
}

/** The functions of the service stack (errors and throttles alarms and ColdStart series at `full`). */
export const FUNCTION_COUNT = 4;
/** Failure codes seen in a month at the full level (one FeedFailuresByCode series each): an assumption. */
export const FAILURE_CODES_PER_MONTH = 3;

export interface MonitoringFacts {
  level: MetricsLevel;
  /** Metrics read by alarms, as CloudWatch bills them ($0.10 each a month). */
  alarmMetrics: number;
  /** Custom metric series the functions emit ($0.30 each a month). */
  customMetrics: number;
  dashboards: number;
  /** What each alarm reads, for the printout. */
  alarms: string[];
}

/**
 * The alarms, custom metric series and dashboards of a monitoring level, as infra/monitoring.ts
 * builds them (test/infra/monitoring.test.ts checks these counts against the synthesized stack).
 */
export function monitoringFacts(level: MetricsLevel): MonitoringFacts {
  const essential = [
    'feeds failing or none polled: FeedFailures average',
    'sweep failing: schedule function Errors',
    'API 5xx',
    'feed chunk dead letters',
    'undelivered notifications dead letters',
  ];
  if (level === 'essential') {
    return {
      level,
      alarmMetrics: essential.length,
      customMetrics: ESSENTIAL_METRIC_NAMES.size,
      dashboards: 0,
      alarms: essential,
    };
  }
  const alarms = [
    ...essential,
    'scheduler tick dead letters',
    ...Array.from({ length: FUNCTION_COUNT }, (_, index) => `function ${index + 1} Errors`),
    ...Array.from({ length: FUNCTION_COUNT }, (_, index) => `function ${index + 1} Throttles`),
  ];
  const monthlyNames = Object.values(MetricName).filter(
    (name) => name !== MetricName.FeedFailuresByCode,
  ).length;
  return {
    level,
    alarmMetrics: alarms.length,
    customMetrics: monthlyNames + FUNCTION_COUNT + FAILURE_CODES_PER_MONTH,
    dashboards: 1,
    alarms,
  };
}

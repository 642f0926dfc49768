import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INGEST_FEED_CONCURRENCY } from '#functions/ingest/ingest-event.ts';
import { CONFIG_DEFAULTS } from '#shared/config/config-schema.ts';
import { EnvName, MAX_FEEDS_PER_EVENT } from '#shared/config/lambda-env.ts';
import { FEED_LIST_PK } from '#shared/store/dynamodb-keys.ts';
import { FUNCTION_ENTRIES } from './bundle-options.ts';
import { acknowledgeGrantWildcards } from './grant-findings.ts';
import { NewswatchFunction, type ThresholdOverrides } from './newswatch-function.ts';
import { schedulerInvokeRole } from './scheduler-role.ts';

/** Rounds of fetches the largest chunk needs at the ingest function's feed concurrency. */
const FETCH_ROUNDS = Math.ceil(MAX_FEEDS_PER_EVENT / INGEST_FEED_CONCURRENCY);
/** Time an ingest invocation keeps beyond its fetches: profile load, scoring, writes. */
const INGEST_MARGIN_SECONDS = 30;
/** Runs of a failed chunk after its first (Lambda allows 0-2); each starts 1-2 minutes later. */
const INGEST_RETRY_ATTEMPTS = 2;
/** Lambda keeps an asynchronous event between 60 s and 6 h. */
const MIN_EVENT_AGE_SECONDS = 60;
const MAX_EVENT_AGE_SECONDS = 6 * 3600;

export interface SweepPipelineProps {
  /** The newswatch table (feed state, ledger, matches). */
  readonly table: ITable;
  /** Minutes between sweeps (1-1440). */
  readonly intervalInMinutes: number;
  /** Seeds folder copied into the ingest bundle. */
  readonly seedsDir: string;
  /** Feed list copied into the schedule bundle. */
  readonly feedsFile: string;
  /**
   * Scores at or above which an item is stored (`match`) and alerts (`alert`).
   * @default - the profile's own thresholds
   */
  readonly thresholds?: ThresholdOverrides;
  /**
   * Longest single feed fetch.
   * @default CONFIG_DEFAULTS.fetch.timeoutMs
   */
  readonly fetchTimeout?: Duration;
  /**
   * Largest feed body read, in bytes.
   * @default CONFIG_DEFAULTS.fetch.maxBodyBytes
   */
  readonly maxBodyBytes?: number;
  /**
   * Requests at once to one host.
   * @default CONFIG_DEFAULTS.fetch.perHostConcurrency
   */
  readonly perHostConcurrency?: number;
  /**
   * Longest run of one ingest invocation; must cover the fetch rounds of the largest chunk
   * (50 feeds, 20 at once: 3 x the fetch timeout) plus time to score and store.
   * @default - 3 x the fetch timeout + 30 s, at least 90 s
   */
  readonly ingestTimeout?: Duration;
  /**
   * Feeds in one chunk (one asynchronous ingest invocation), 1-50; a large tick gets larger
   * chunks (see maxConcurrentIngests).
   * @default 10
   */
  readonly ingestBatchSize?: number;
  /**
   * Most ingest invocations one tick starts, which bounds the write rate on the table and the
   * fetch rate of a sweep; a tick is cut into at most this many chunks (up to 50 feeds each) so
   * it fits. It is not a concurrency limit of the function (there is no event source, and no
   * reserved concurrency): retries of an earlier tick's chunks can run next to a tick's own.
   * @default 10
   */
  readonly maxConcurrentIngests?: number;
  /** Days a match is kept. */
  readonly matchRetentionInDays: number;
  /** Days the seen-item ledger remembers an item. */
  readonly ledgerRetentionInDays: number;
}

/**
 * Scheduled sweeps: EventBridge Scheduler -> schedule function (plans due feeds) -> one
 * asynchronous invocation per chunk of feeds -> ingest function (fetch, dedupe, score, store),
 * a chunk with a store failure run again twice by Lambda and then sent to the dead-letter queue.
 * No queue is polled between sweeps, so an idle hour costs nothing.
 */
export class SweepPipeline extends Construct {
  public readonly scheduleFunction: NewswatchFunction;
  public readonly ingestFunction: NewswatchFunction;
  /** Where Lambda records an ingest event that failed all its runs or grew too old (alarmed). */
  public readonly deadLetterQueue: sqs.Queue;
  /** Where the scheduler puts a tick it could not deliver to the schedule function. */
  public readonly scheduleDeadLetterQueue: sqs.Queue;
  public readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SweepPipelineProps) {
    super(scope, id);
    const where = `SweepPipeline ${this.node.path}`;
    if (
      !Number.isInteger(props.intervalInMinutes) ||
      props.intervalInMinutes < 1 ||
      props.intervalInMinutes > 1440
    ) {
      throw new Error(
        `${where}: intervalInMinutes must be an integer 1-1440, got ${props.intervalInMinutes}`,
      );
    }
    const fetchTimeout = props.fetchTimeout ?? Duration.millis(CONFIG_DEFAULTS.fetch.timeoutMs);
    const fetchRoundsSeconds = FETCH_ROUNDS * fetchTimeout.toSeconds();
    const ingestTimeout =
      props.ingestTimeout ??
      Duration.seconds(Math.max(90, fetchRoundsSeconds + INGEST_MARGIN_SECONDS));
    if (ingestTimeout.toSeconds() <= fetchRoundsSeconds) {
      throw new Error(
        `${where}: ingestTimeout (${ingestTimeout.toSeconds()} s) must exceed ${FETCH_ROUNDS} x fetchTimeout (${fetchTimeout.toSeconds()} s), the fetch rounds of a ${MAX_FEEDS_PER_EVENT}-feed chunk, so a hanging feed fails in the handler, not by a Lambda timeout`,
      );
    }
    const batchSize = props.ingestBatchSize ?? 10;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_FEEDS_PER_EVENT) {
      throw new Error(
        `${where}: ingestBatchSize must be an integer 1-${MAX_FEEDS_PER_EVENT}, got ${batchSize}`,
      );
    }
    const maxIngestsPerTick = props.maxConcurrentIngests ?? 10;
    if (!Number.isInteger(maxIngestsPerTick) || maxIngestsPerTick < 1 || maxIngestsPerTick > 1000) {
      throw new Error(
        `${where}: maxConcurrentIngests must be an integer 1-1000, got ${maxIngestsPerTick}`,
      );
    }

    this.deadLetterQueue = new sqs.Queue(this, 'FeedDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the ingest function's on-failure destination (alarmed on depth); a DLQ of a DLQ would only move the problem.",
    });

    const ingestEnv: Record<string, string> = {
      [EnvName.fetchTimeoutMs]: String(fetchTimeout.toMilliseconds()),
      [EnvName.fetchMaxBodyBytes]: String(props.maxBodyBytes ?? CONFIG_DEFAULTS.fetch.maxBodyBytes),
      [EnvName.fetchPerHostConcurrency]: String(
        props.perHostConcurrency ?? CONFIG_DEFAULTS.fetch.perHostConcurrency,
      ),
      [EnvName.matchRetentionDays]: String(props.matchRetentionInDays),
      [EnvName.ledgerRetentionDays]: String(props.ledgerRetentionInDays),
    };
    this.ingestFunction = new NewswatchFunction(this, 'Ingest', {
      entry: FUNCTION_ENTRIES.ingest,
      description: 'Ingests a chunk of feeds: fetch, dedupe, score, store',
      timeout: ingestTimeout,
      // Ingest waits on the network; parsing and scoring cost microseconds per item (bench/),
      // so more memory (and CPU) would mostly bill idle time.
      memorySizeInMiB: 512,
      seedsDir: props.seedsDir,
      thresholds: props.thresholds,
      environment: ingestEnv,
    }).useTable(props.table, 'readWrite');
    this.ingestFunction.function.configureAsyncInvoke({
      retryAttempts: INGEST_RETRY_ATTEMPTS,
      // A chunk older than two sweeps is stale: the next ticks hand its feeds over again.
      maxEventAge: Duration.seconds(
        Math.max(
          MIN_EVENT_AGE_SECONDS,
          Math.min(MAX_EVENT_AGE_SECONDS, props.intervalInMinutes * 2 * 60),
        ),
      ),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    this.scheduleFunction = new NewswatchFunction(this, 'Planner', {
      entry: FUNCTION_ENTRIES.schedule,
      description: 'Plans a sweep: hands the due feeds to ingest in chunks',
      timeout: Duration.seconds(60),
      memorySizeInMiB: 256,
      feedsFile: props.feedsFile,
    })
      .useTable(props.table, 'read')
      // Seeding the feed list on a store that never held one is all it writes.
      .writePartitions(props.table, [FEED_LIST_PK])
      .setEnvironment(EnvName.ingestFunctionName, this.ingestFunction.function.functionName)
      .setEnvironment(EnvName.intervalMinutes, String(props.intervalInMinutes))
      .setEnvironment(EnvName.ingestBatchSize, String(batchSize))
      .setEnvironment(EnvName.maxConcurrentIngests, String(maxIngestsPerTick));
    this.ingestFunction.function.grantInvoke(this.scheduleFunction);
    acknowledgeGrantWildcards(this.scheduleFunction.role, [
      {
        matches: (finding, actions) =>
          finding.startsWith('Resource::') &&
          finding.endsWith('.Arn>:*') &&
          actions.every((action) => action === 'lambda:InvokeFunction'),
        reason:
          "CDK's invoke grant covers the ingest function's own versions and aliases (':*'), no other function.",
      },
    ]);

    this.scheduleDeadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the scheduler target's dead-letter queue (alarmed on depth); a DLQ of a DLQ would only move the problem.",
    });
    const schedulerRole = schedulerInvokeRole(
      this,
      'SchedulerRole',
      'Lets EventBridge Scheduler invoke the newswatch schedule function',
    );
    this.schedule = new scheduler.Schedule(this, 'Tick', {
      description: `newswatch sweep every ${props.intervalInMinutes} minutes`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(props.intervalInMinutes)),
      target: new targets.LambdaInvoke(this.scheduleFunction.function, {
        role: schedulerRole,
        deadLetterQueue: this.scheduleDeadLetterQueue,
        retryAttempts: 2,
        // A tick that cannot run before the next one is worthless.
        maxEventAge: Duration.minutes(Math.max(1, props.intervalInMinutes)),
      }),
    });
  }
}

import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INGEST_FEED_CONCURRENCY, MAX_FEEDS_PER_EVENT } from '#functions/ingest/ingest-event.ts';
import { ChunkEnvName } from '#functions/schedule/chunk-env.ts';
import { EnvName } from '#shared/config/lambda-env.ts';
import { FUNCTION_ENTRIES } from './bundle-options.ts';
import { NewswatchFunction } from './newswatch-function.ts';
import { schedulerInvokeRole } from './scheduler-role.ts';

/** SQS needs the visibility timeout to outlast every retry of a batch (AWS guidance: 6x timeout). */
const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Rounds of fetches the largest chunk needs at the ingest function's feed concurrency. */
const FETCH_ROUNDS = Math.ceil(MAX_FEEDS_PER_EVENT / INGEST_FEED_CONCURRENCY);
/** Time an ingest invocation keeps beyond its fetches: profile load, scoring, writes. */
const INGEST_MARGIN_SECONDS = 30;
/** SQS keeps a message at most 14 days. */
const MAX_RETENTION_MINUTES = 14 * 24 * 60;

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
   * Score at or above which an item is stored.
   * @default - the profile's own threshold
   */
  readonly matchThreshold?: number;
  /**
   * Score at or above which a match alerts.
   * @default - the profile's own threshold
   */
  readonly alertThreshold?: number;
  /**
   * Longest single feed fetch.
   * @default Duration.seconds(20)
   */
  readonly fetchTimeout?: Duration;
  /**
   * Largest feed body read, in bytes.
   * @default 10 MiB
   */
  readonly maxBodyBytes?: number;
  /**
   * Requests at once to one host.
   * @default 2
   */
  readonly perHostConcurrency?: number;
  /**
   * Longest run of one ingest invocation; must cover the fetch rounds of the largest chunk
   * (50 feeds, 20 at once: 3 x the fetch timeout) plus time to score and store.
   * @default - 3 x the fetch timeout + 30 s, at least 90 s
   */
  readonly ingestTimeout?: Duration;
  /**
   * Feeds in one chunk (one queue message, one ingest invocation), 1-50; a large tick gets larger
   * chunks (see maxConcurrentIngests).
   * @default 10
   */
  readonly ingestBatchSize?: number;
  /**
   * Ingest invocations at once, which bounds the write rate on the table and the fetch rate
   * overall; a tick is cut into at most this many chunks (up to 50 feeds each) so it fits.
   * @default 10
   */
  readonly maxConcurrentIngests?: number;
  /**
   * Deliveries of one chunk message before it goes to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /** Days a match is kept. */
  readonly matchRetentionInDays: number;
  /** Days the seen-item ledger remembers an item. */
  readonly ledgerRetentionInDays: number;
}

/**
 * Scheduled sweeps: EventBridge Scheduler -> schedule function (plans due feeds) -> one SQS
 * message per chunk of feeds -> ingest function (fetch, dedupe, score, store), one chunk per
 * invocation, a chunk with a store failure delivered again and then dead-lettered.
 */
export class SweepPipeline extends Construct {
  public readonly scheduleFunction: NewswatchFunction;
  public readonly ingestFunction: NewswatchFunction;
  public readonly queue: sqs.Queue;
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
    const fetchTimeout = props.fetchTimeout ?? Duration.seconds(20);
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
    const maxConcurrency = props.maxConcurrentIngests ?? 10;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(
        `${where}: maxConcurrentIngests must be an integer 2-1000, got ${maxConcurrency}`,
      );
    }
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) {
      throw new Error(
        `${where}: maxReceiveCount must be a positive integer, got ${maxReceiveCount}`,
      );
    }

    this.deadLetterQueue = new sqs.Queue(this, 'FeedDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const visibilitySeconds = ingestTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR;
    this.queue = new sqs.Queue(this, 'FeedQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(visibilitySeconds),
      // A message older than two sweeps is stale (the next tick queues its feeds again), but one
      // that keeps failing must live through all its receives to reach the alarmed DLQ.
      retentionPeriod: Duration.minutes(
        Math.min(
          MAX_RETENTION_MINUTES,
          Math.max(
            props.intervalInMinutes * 2,
            60,
            Math.ceil((visibilitySeconds * maxReceiveCount) / 60),
          ),
        ),
      ),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.scheduleFunction = new NewswatchFunction(this, 'Planner', {
      entry: FUNCTION_ENTRIES.schedule,
      description: 'Plans a sweep: queues the due feeds in chunks',
      timeout: Duration.seconds(60),
      memorySizeInMiB: 256,
      feedsFile: props.feedsFile,
    })
      .useTable(props.table, 'read')
      .sendTo(this.queue)
      .setEnvironment(EnvName.intervalMinutes, String(props.intervalInMinutes))
      .setEnvironment(ChunkEnvName.ingestBatchSize, String(batchSize))
      .setEnvironment(ChunkEnvName.maxConcurrentIngests, String(maxConcurrency));

    const ingestEnv: Record<string, string> = {
      [EnvName.fetchTimeoutMs]: String(fetchTimeout.toMilliseconds()),
      [EnvName.fetchMaxBodyBytes]: String(props.maxBodyBytes ?? 10 * 1024 * 1024),
      [EnvName.fetchPerHostConcurrency]: String(props.perHostConcurrency ?? 2),
      [EnvName.matchRetentionDays]: String(props.matchRetentionInDays),
      [EnvName.ledgerRetentionDays]: String(props.ledgerRetentionInDays),
    };
    if (props.matchThreshold !== undefined)
      ingestEnv[EnvName.matchThreshold] = String(props.matchThreshold);
    if (props.alertThreshold !== undefined)
      ingestEnv[EnvName.alertThreshold] = String(props.alertThreshold);
    this.ingestFunction = new NewswatchFunction(this, 'Ingest', {
      entry: FUNCTION_ENTRIES.ingest,
      description: 'Ingests queued feeds: fetch, dedupe, score, store',
      timeout: ingestTimeout,
      // Ingest waits on the network; parsing and scoring cost microseconds per item (bench/),
      // so more memory (and CPU) would mostly bill idle time.
      memorySizeInMiB: 512,
      seedsDir: props.seedsDir,
      environment: ingestEnv,
    }).useTable(props.table, 'readWrite');
    this.ingestFunction.function.addEventSource(
      new SqsEventSource(this.queue, {
        // A message is already a chunk of feeds: one per invocation keeps a tick at most
        // maxConcurrentIngests invocations, and a failing chunk retries only itself.
        batchSize: 1,
        maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

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

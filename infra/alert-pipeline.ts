import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvName } from '#shared/config/lambda-env.ts';
import { ALERT_STREAM_FILTER } from '#shared/store/table-design.ts';
import { FUNCTION_ENTRIES } from './bundle-options.ts';
import { NewswatchFunction } from './newswatch-function.ts';
import { schedulerInvokeRole } from './scheduler-role.ts';

export interface AlertPipelineProps {
  /** The newswatch table; its stream carries new matches. */
  readonly table: ITable;
  /** Where alerts are published. */
  readonly alertTopic: ITopic;
  /** Alerts at most per sweep (per batch of new matches). */
  readonly maxPerSweep: number;
  /** Alerts at most per hour; the rest wait for the digest. */
  readonly maxPerHour: number;
  /** `instant` alerts each story; `hourly`/`daily` send digests. */
  readonly mode: 'instant' | 'hourly' | 'daily';
  /** Days a match is kept. */
  readonly matchRetentionInDays: number;
  /** Days the seen-item ledger remembers an item. */
  readonly ledgerRetentionInDays: number;
  /**
   * Retries of a failing stream batch before its records go to the failure queue.
   * @default 5
   */
  readonly retryAttempts?: number;
  /**
   * Where the stream records the function gave up on go, e.g. the storage stack's delivery
   * dead-letter queue, so one alarmed queue holds every alert that did not go out.
   * @default - a queue of its own
   */
  readonly failureQueue?: sqs.IQueue;
  /**
   * Oldest stream record still alerted; older ones go to the failure queue.
   * @default Duration.hours(6)
   */
  readonly maxRecordAge?: Duration;
}

/**
 * The alert outbox: the table's stream, filtered at the event source to newly inserted
 * alert-worthy matches, drives the alert function, which publishes to the alert topic.
 */
export class AlertPipeline extends Construct {
  public readonly alertFunction: NewswatchFunction;
  /** Stream records the alert function gave up on (bounded retries, then here). */
  public readonly failureQueue: sqs.IQueue;
  /** Sends the digest: what the caps held back, and every story in the digest modes. */
  public readonly digestSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: AlertPipelineProps) {
    super(scope, id);
    const where = `AlertPipeline ${this.node.path}`;
    if (props.table.tableStreamArn === undefined) {
      throw new Error(`${where}: the table has no stream; alerts are driven by the table's stream`);
    }
    const retryAttempts = props.retryAttempts ?? 5;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 10_000) {
      throw new Error(`${where}: retryAttempts must be an integer 0-10000, got ${retryAttempts}`);
    }
    const maxRecordAge = props.maxRecordAge ?? Duration.hours(6);
    if (maxRecordAge.toSeconds() < 60 || maxRecordAge.toSeconds() > 604_800) {
      throw new Error(
        `${where}: maxRecordAge must be 60 s-7 days, got ${maxRecordAge.toSeconds()} s`,
      );
    }

    this.failureQueue = props.failureQueue ?? this.ownFailureQueue();

    this.alertFunction = new NewswatchFunction(this, 'Alert', {
      entry: FUNCTION_ENTRIES.alert,
      description: 'Alerts new matches: group by story, publish to SNS, mark alerted',
      timeout: Duration.seconds(60),
      memorySizeInMiB: 512,
      environment: {
        [EnvName.alertMaxPerSweep]: String(props.maxPerSweep),
        [EnvName.alertMaxPerHour]: String(props.maxPerHour),
        [EnvName.alertMode]: props.mode,
        [EnvName.matchRetentionDays]: String(props.matchRetentionInDays),
        [EnvName.ledgerRetentionDays]: String(props.ledgerRetentionInDays),
      },
    })
      .useTable(props.table, 'readWrite')
      .readStreamOf(props.table)
      .publishTo(props.alertTopic);

    this.alertFunction.function.addEventSource(
      new DynamoEventSource(props.table, {
        // The outbox must not skip matches stored between the table's and the mapping's creation.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts,
        maxRecordAge,
        reportBatchItemFailures: true,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.failureQueue),
        filters: [lambda.FilterCriteria.filter(structuredClone(ALERT_STREAM_FILTER))],
      }),
    );

    // The digest is the one asynchronous invocation: a run that fails its retries, and a tick the
    // scheduler cannot deliver, land in the same alarmed queue as the stream batches given up on,
    // so a digest that fails is never silent.
    this.alertFunction.function.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failureQueue),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    const digestEvery = props.mode === 'daily' ? Duration.days(1) : Duration.hours(1);
    this.digestSchedule = new scheduler.Schedule(this, 'DigestTick', {
      description: `newswatch digest every ${digestEvery.toHumanString()}`,
      schedule: scheduler.ScheduleExpression.rate(digestEvery),
      target: new targets.LambdaInvoke(this.alertFunction.function, {
        role: schedulerInvokeRole(
          this,
          'DigestSchedulerRole',
          'Lets EventBridge Scheduler invoke the newswatch alert function for the digest',
        ),
        input: scheduler.ScheduleTargetInput.fromObject({ action: 'flush-digest' }),
        retryAttempts: 2,
        deadLetterQueue: this.failureQueue,
      }),
    });
  }

  private ownFailureQueue(): sqs.Queue {
    const queue = new sqs.Queue(this, 'AlertFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the stream mapping's on-failure destination (alarmed on depth); a DLQ of a DLQ would only move the problem.",
    });
    return queue;
  }
}

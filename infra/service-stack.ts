import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Config } from '#shared/config/config-schema.ts';
import type { MetricsLevel } from '#shared/observability/metrics-level.ts';
import { AlertPipeline } from './alert-pipeline.ts';
import { Monitoring } from './monitoring.ts';
import { NewswatchFunction } from './newswatch-function.ts';
import { QueryApi } from './query-api.ts';
import { SweepPipeline } from './sweep-pipeline.ts';

export interface ServiceStackProps extends StackProps {
  /** The table from the storage stack. */
  readonly table: ITable;
  /** The alert topic from the storage stack. */
  readonly alertTopic: ITopic;
  /** The ops topic from the storage stack; every alarm notifies it. */
  readonly opsTopic: ITopic;
  /**
   * The storage stack's queue of undelivered notifications; failed alert batches go there too.
   * @default - the alert pipeline keeps a failure queue of its own
   */
  readonly deliveryDeadLetterQueue?: IQueue;
  /** The validated newswatch config (the same schema as the local runner's). */
  readonly config: Config;
  /**
   * Alarms, custom metrics and dashboard: `essential` or `full` (docs/deploy.md, "Monitoring levels").
   * @default 'essential'
   */
  readonly monitoring?: MetricsLevel;
  /**
   * The API's name in the console.
   * @default - the construct's path
   */
  readonly apiName?: string;
}

/**
 * The stateless half of newswatch: functions, schedule, queues, API and monitoring. It can be
 * destroyed and redeployed at will; everything it keeps lives in the storage stack.
 */
export class ServiceStack extends Stack {
  public readonly sweep: SweepPipeline;
  public readonly alerts: AlertPipeline;
  public readonly queryApi: QueryApi;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retention = {
      matchRetentionInDays: config.retention.matchesDays,
      ledgerRetentionInDays: config.retention.ledgerDays,
    };
    this.sweep = new SweepPipeline(this, 'Sweep', {
      table: props.table,
      intervalInMinutes: config.intervalMinutes,
      seedsDir: config.seedsDir,
      feedsFile: config.feedsFile,
      thresholds: config.thresholds,
      fetchTimeout: Duration.millis(config.fetch.timeoutMs),
      maxBodyBytes: config.fetch.maxBodyBytes,
      perHostConcurrency: config.fetch.perHostConcurrency,
      ...retention,
    });
    this.alerts = new AlertPipeline(this, 'Alerts', {
      table: props.table,
      alertTopic: props.alertTopic,
      maxPerSweep: config.alerts.maxPerSweep,
      maxPerHour: config.alerts.maxPerHour,
      mode: config.alerts.mode,
      failureQueue: props.deliveryDeadLetterQueue,
      ...retention,
    });
    this.queryApi = new QueryApi(this, 'Query', {
      table: props.table,
      seedsDir: config.seedsDir,
      thresholds: config.thresholds,
      ...retention,
      feedsFile: config.feedsFile,
      authMode: config.api.authMode,
      corsOrigins: config.api.corsOrigins,
      apiName: props.apiName,
    });

    const level = props.monitoring ?? 'essential';
    // Every function emits what the level's alarms and dashboard read, and nothing more.
    for (const construct of this.node.findAll()) {
      if (construct instanceof NewswatchFunction) construct.useMetricsLevel(level);
    }
    this.monitoring = new Monitoring(this, 'Monitoring', {
      level,
      opsTopic: props.opsTopic,
      intervalInMinutes: config.intervalMinutes,
      api: this.queryApi.api,
      scheduleFunction: this.sweep.scheduleFunction,
      functions: {
        Schedule: this.sweep.scheduleFunction,
        Ingest: this.sweep.ingestFunction,
        Alert: this.alerts.alertFunction,
        Api: this.queryApi.apiFunction,
      },
      deadLetterQueues: {
        Feed: this.sweep.deadLetterQueue,
        Delivery: this.alerts.failureQueue,
      },
      // A tick the scheduler could not deliver is a sweep that did not run: the feeds alarm
      // sees it (no feed polled), so only the full level alarms on this queue's depth too.
      tickDeadLetterQueue: this.sweep.scheduleDeadLetterQueue,
    });

    this.queryApi.addOutputs(this);
    new CfnOutput(this, 'AlertTopicArn', {
      value: props.alertTopic.topicArn,
      description: 'Alerts are published here; subscribe e-mail, SQS, Lambda or HTTPS endpoints',
    });
    if (this.monitoring.dashboard) {
      new CfnOutput(this, 'DashboardName', {
        value: this.monitoring.dashboard.dashboardName,
        description: 'CloudWatch dashboard of the sweep',
      });
    }
  }
}

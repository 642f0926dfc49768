import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '#shared/observability/metric-names.ts';
import type { MetricsLevel } from '#shared/observability/metrics-level.ts';
import type { NewswatchFunction } from './newswatch-function.ts';

/** CloudWatch keeps an alarm's evaluation window within one day. */
const MAX_WINDOW_MINUTES = 1440;

export interface MonitoringProps {
  /** Where every alarm (and its recovery) is sent. */
  readonly opsTopic: ITopic;
  /**
   * `essential`: only the alarms that catch a stopped or data-losing newswatch (sweeps, dead
   * letters, feeds failing en masse, API 5xx). `full` adds errors and throttles per function and
   * a dashboard. Must match the metrics level the functions emit (NEWSWATCH_METRICS_LEVEL).
   * @default 'essential'
   */
  readonly level?: MetricsLevel;
  /** The functions, by a short name used in alarm ids: errors and throttles alarms at `full`. */
  readonly functions: Readonly<Record<string, NewswatchFunction>>;
  /** Dead-letter queues to watch for depth, by a short name used in alarm ids. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /**
   * The scheduler's dead-letter queue: a tick there is a sweep that did not run, which the feeds
   * alarm already raises (no feed polled), so its depth is alarmed at `full` only.
   * @default - none
   */
  readonly tickDeadLetterQueue?: IQueue;
  /** The function the schedule invokes; its errors in two windows in a row mean sweeps are failing. */
  readonly scheduleFunction: NewswatchFunction;
  /** Minutes between sweeps. */
  readonly intervalInMinutes: number;
  /**
   * The query API, watched for server errors (the api function answers 500 without failing).
   * @default - no API alarm
   */
  readonly api?: apigateway.RestApi;
  /**
   * Server errors (5xx) in five minutes that raise the API alarm.
   * @default 5
   */
  readonly apiServerErrorThreshold?: number;
  /**
   * Share of polled feeds failing, over two consecutive windows, that raises the mass-failure alarm.
   * @default 0.5
   */
  readonly feedFailureRatio?: number;
}

/**
 * Alarms on everything that can silently stop newswatch or lose data (sweeps stopped or failing,
 * dead letters, feeds failing en masse, API server errors), each notifying the ops topic; at the
 * `full` level also errors and throttles per function, the scheduler's dead letters and a
 * dashboard of the sweep's numbers. Why the essential set is enough: docs/deploy.md.
 */
export class Monitoring extends Construct {
  public readonly level: MetricsLevel;
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The sweep dashboard, at the `full` level only. */
  public readonly dashboard?: cloudwatch.Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const where = `Monitoring ${this.node.path}`;
    const ratio = props.feedFailureRatio ?? 0.5;
    if (!(ratio > 0 && ratio <= 1)) {
      throw new Error(`${where}: feedFailureRatio must be in (0, 1], got ${ratio}`);
    }
    this.level = props.level ?? 'essential';
    this.action = new SnsAction(props.opsTopic);

    // Two windows of at least one sweep each, within CloudWatch's one-day evaluation limit.
    const window = Duration.minutes(
      Math.min(Math.max(props.intervalInMinutes, 5), MAX_WINDOW_MINUTES / 2),
    );
    this.watch(
      'FeedsFailingOrStoppedAlarm',
      this.metric(MetricName.FeedFailures, window, 'Average'),
      {
        threshold: ratio,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No feed polled in a window (no sweep ran, or every feed is backing off) breaches too.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: `In two windows in a row, either no feed was polled (the schedule stopped, or every feed is disabled or backing off) or at least ${Math.round(ratio * 100)}% of polled feeds failed (network, egress or a shared dependency is down; the failure codes are in the ingest log)`,
      },
    );
    this.watch(
      'SweepFailingAlarm',
      props.scheduleFunction.function.metricErrors({ period: window, statistic: 'Sum' }),
      {
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription:
          'The schedule function failed in two windows in a row: sweeps fail or hand over only part of the feeds; see its log group',
      },
    );
    const deadLetterQueues = {
      ...props.deadLetterQueues,
      ...(this.level === 'full' && props.tickDeadLetterQueue
        ? { Tick: props.tickDeadLetterQueue }
        : {}),
    };
    for (const [name, queue] of Object.entries(deadLetterQueues)) {
      this.watch(
        `${name}DeadLettersAlarm`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        {
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          alarmDescription: `Messages are waiting in the ${name} dead-letter queue: inspect and redrive them`,
        },
      );
    }
    if (props.api) {
      this.watch(
        'ApiServerErrorsAlarm',
        props.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        {
          threshold: props.apiServerErrorThreshold ?? 5,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          alarmDescription: 'The API answered with server errors; see the api function log group',
        },
      );
    }

    if (this.level === 'full') {
      this.watchFunctions(props.functions);
      this.dashboard = this.buildDashboard(props, window);
    }
  }

  private watchFunctions(functions: Readonly<Record<string, NewswatchFunction>>): void {
    for (const [name, fn] of Object.entries(functions)) {
      this.watch(`${name}ErrorsAlarm`, fn.function.metricErrors({ period: Duration.minutes(5) }), {
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `The ${name} function failed; see its log group`,
      });
      this.watch(
        `${name}ThrottlesAlarm`,
        fn.function.metricThrottles({ period: Duration.minutes(5) }),
        {
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          alarmDescription: `The ${name} function was throttled; raise its concurrency or the account limit`,
        },
      );
    }
  }

  private metric(name: string, period: Duration, statistic = 'Sum'): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service: SERVICE_NAME },
      statistic,
      period,
    });
  }

  private watch(
    id: string,
    metric: cloudwatch.IMetric,
    options: Omit<cloudwatch.CreateAlarmOptions, 'evaluationPeriods'> & {
      evaluationPeriods?: number;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...options,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private buildDashboard(props: MonitoringProps, period: Duration): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
    });
    const sum = (name: string) => this.metric(name, period);
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Sweep',
        left: [
          sum(MetricName.FeedsQueued),
          sum(MetricName.FeedsPolled),
          sum(MetricName.ItemsFetched),
          sum(MetricName.NewItems),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Matches and alerts',
        left: [
          sum(MetricName.Matches),
          sum(MetricName.AlertWorthyMatches),
          sum(MetricName.AlertsSent),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Feed failures',
        left: [sum(MetricName.FeedFailures)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        left: Object.values(props.functions).map((fn) => fn.function.metricErrors({ period })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Ingest duration (p90, ms)',
        left: [this.metric(MetricName.IngestDuration, period, 'p90')],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    return dashboard;
  }
}

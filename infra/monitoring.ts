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
  /** The function the schedule invokes; no successful invocation in two intervals means sweeps stopped. */
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
 * `full` level also errors and throttles per function and a dashboard of the sweep's numbers.
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

    this.watchSweeps(props.scheduleFunction, props.intervalInMinutes);
    const ratioPeriod = Duration.minutes(
      Math.min(Math.max(props.intervalInMinutes, 5), MAX_WINDOW_MINUTES / 2),
    );
    this.watch('FeedsFailingAlarm', this.metric(MetricName.FeedFailures, ratioPeriod, 'Average'), {
      threshold: ratio,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `At least ${Math.round(ratio * 100)}% of polled feeds failed in two windows in a row: network, egress or a shared dependency is down (the failure codes are in the ingest log)`,
    });
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
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
      this.dashboard = this.buildDashboard(props, ratioPeriod);
    }
  }

  /**
   * Successful schedule invocations (Invocations - Errors) below one in two intervals: the schedule
   * stopped, or every tick fails. Missing data is the stopped case, so it breaches.
   */
  private watchSweeps(schedule: NewswatchFunction, intervalInMinutes: number): void {
    const windowMinutes = Math.min(intervalInMinutes * 2, MAX_WINDOW_MINUTES);
    const period = Duration.minutes(windowMinutes);
    this.watch(
      'SweepStoppedAlarm',
      new cloudwatch.MathExpression({
        // FILL: a window without any datapoint counts as zero sweeps, not as no verdict.
        expression: 'FILL(invocations, 0) - FILL(errors, 0)',
        usingMetrics: {
          invocations: schedule.function.metricInvocations({ period, statistic: 'Sum' }),
          errors: schedule.function.metricErrors({ period, statistic: 'Sum' }),
        },
        period,
        label: 'Successful sweeps',
      }),
      {
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription: `No sweep succeeded in ${windowMinutes} minutes: check the schedule and the schedule function's log group`,
      },
    );
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

import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.ts';
import { functionId } from './template-helpers.ts';

interface AlarmResource {
  Properties: {
    MetricName?: string;
    Namespace?: string;
    Period?: number;
    EvaluationPeriods: number;
    AlarmActions?: unknown;
    Metrics?: { MetricStat?: { Period: number } }[];
  };
}

function service(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(buildTestApp(context).service);
}

function alarms(template: Template): AlarmResource[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')) as AlarmResource[];
}

/** What CloudWatch bills an alarm for: each metric it reads ($0.10 a month each). */
function alarmMetricCount(template: Template): number {
  return alarms(template).reduce(
    (sum, alarm) =>
      sum + (alarm.Properties.Metrics?.filter((metric) => metric.MetricStat).length ?? 1),
    0,
  );
}

const ONE_SUBSCRIBER = { alertEmail: 'me@example.com' };

describe('Monitoring: essential level (the default)', () => {
  it('reads at most 8 alarm metrics with a subscriber on both topics', () => {
    expect(alarmMetricCount(service(ONE_SUBSCRIBER))).toBeLessThanOrEqual(8);
  });

  it('builds no dashboard and outputs no dashboard name', () => {
    const template = service();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(template.findOutputs('DashboardName'))).toEqual([]);
  });

  it('has no per-function errors or throttles alarm', () => {
    const template = service();
    for (const metric of ['Errors', 'Throttles']) {
      expect(
        Object.keys(
          template.findResources('AWS::CloudWatch::Alarm', {
            Properties: { MetricName: metric, Namespace: 'AWS/Lambda' },
          }),
        ),
        metric,
      ).toEqual([]);
    }
  });

  it('alarms on the depth of the feed, schedule, alert-failure and shared subscription dead-letter queues', () => {
    const template = service(ONE_SUBSCRIBER);
    const depth = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum' },
    });
    expect(Object.keys(depth)).toHaveLength(4);
  });

  it('alarms when no schedule invocation succeeded in two intervals, missing data breaching', () => {
    const template = service({ newswatch: { intervalMinutes: 20 } });
    const schedule = { Ref: functionId(template, 'Plans a sweep') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(invocations, 0) - FILL(errors, 0)' }),
        Match.objectLike({
          Id: 'invocations',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'Invocations',
              Dimensions: [{ Name: 'FunctionName', Value: schedule }],
            }),
            Period: 40 * 60,
          }),
        }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'Errors' }),
          }),
        }),
      ]),
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('alarms when half the polled feeds fail in two windows, from the one FeedFailures series', () => {
    service().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Newswatch',
      MetricName: 'FeedFailures',
      Dimensions: [{ Name: 'service', Value: 'newswatch' }],
      Statistic: 'Average',
      EvaluationPeriods: 2,
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on API server errors', () => {
    service().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Sum',
      Threshold: 5,
    });
  });

  it('reads no custom metric other than FeedFailures', () => {
    const names = alarms(service())
      .map((alarm) => alarm.Properties)
      .filter((properties) => properties.Namespace === 'Newswatch')
      .map((properties) => properties.MetricName);
    expect(names).toEqual(['FeedFailures']);
  });
});

describe('Monitoring: full level', () => {
  const full = (context: Record<string, unknown> = {}) =>
    service({ monitoring: 'full', ...context });

  it('alarms on errors and throttles of every function', () => {
    const template = full();
    for (const metric of ['Errors', 'Throttles']) {
      const found = template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: metric, Namespace: 'AWS/Lambda' },
      });
      expect(Object.keys(found), metric).toHaveLength(4);
    }
  });

  it('builds a dashboard and outputs its name', () => {
    const template = full();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.keys(template.findOutputs('DashboardName'))).toEqual(['DashboardName']);
  });

  it('keeps every essential alarm', () => {
    const essential = alarms(service(ONE_SUBSCRIBER)).length;
    expect(alarms(full(ONE_SUBSCRIBER)).length).toBe(essential + 8);
  });
});

describe('Monitoring: both levels', () => {
  it.each(['essential', 'full'])(
    "keeps every alarm's evaluation window within one day, even for a daily sweep (%s)",
    (monitoring) => {
      for (const alarm of alarms(service({ monitoring, newswatch: { intervalMinutes: 1440 } }))) {
        const { Period, Metrics, EvaluationPeriods } = alarm.Properties;
        const period = Period ?? Metrics?.find((metric) => metric.MetricStat)?.MetricStat?.Period;
        expect(period).toBeDefined();
        expect((period ?? 0) * EvaluationPeriods).toBeLessThanOrEqual(86_400);
      }
    },
  );

  it.each(['essential', 'full'])('notifies the ops topic from every alarm (%s)', (monitoring) => {
    const found = alarms(service({ monitoring }));
    expect(found.length).toBeGreaterThan(0);
    for (const alarm of found) {
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/OpsTopic/);
    }
  });

  it.each(['essential', 'full'])('tells every function its metrics level (%s)', (monitoring) => {
    service({ monitoring }).allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ NEWSWATCH_METRICS_LEVEL: monitoring }),
      },
    });
  });
});

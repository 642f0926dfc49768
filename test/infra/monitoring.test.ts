import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ESSENTIAL_METRIC_NAMES } from '#shared/observability/metrics-level.ts';
import { monitoringFacts } from '../../bench/lib/infra-facts.ts';
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
  it('costs at most $0.80 a month fixed: alarm metrics at $0.10, custom metric series at $0.30', () => {
    const fixed =
      alarmMetricCount(service(ONE_SUBSCRIBER)) * 0.1 + ESSENTIAL_METRIC_NAMES.size * 0.3;
    expect(fixed).toBeLessThanOrEqual(0.8 + 1e-9);
  });

  it('reads at most 8 alarm metrics with a subscriber on both topics', () => {
    expect(alarmMetricCount(service(ONE_SUBSCRIBER))).toBeLessThanOrEqual(8);
  });

  it('builds no dashboard and outputs no dashboard name', () => {
    const template = service();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(template.findOutputs('DashboardName'))).toEqual([]);
  });

  it('has no throttles alarm and no errors alarm besides the schedule function', () => {
    const template = service();
    expect(
      Object.keys(
        template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { MetricName: 'Throttles', Namespace: 'AWS/Lambda' },
        }),
      ),
    ).toEqual([]);
    expect(
      Object.keys(
        template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda' },
        }),
      ),
    ).toHaveLength(1);
  });

  it('alarms on the depth of the feed dead-letter queue and the undelivered-notification queue', () => {
    const template = service(ONE_SUBSCRIBER);
    const depth = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum' },
    });
    expect(Object.keys(depth)).toHaveLength(2);
  });

  it("sends failed alert batches to the storage stack's delivery dead-letter queue", () => {
    const template = service();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(template, 'Alerts new matches') },
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::ImportValue': Match.stringLikeRegexp('DeliveryDeadLetters') },
        },
      },
    });
  });

  it('sends a digest that failed its retries, or whose tick was not delivered, to the same alarmed queue', () => {
    const template = service();
    const alertFunction = functionId(template, 'Alerts new matches');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: alertFunction },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::ImportValue': Match.stringLikeRegexp('DeliveryDeadLetters') },
        },
      },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [alertFunction, 'Arn'] },
        Input: JSON.stringify({ action: 'flush-digest' }),
        DeadLetterConfig: {
          Arn: { 'Fn::ImportValue': Match.stringLikeRegexp('DeliveryDeadLetters') },
        },
      }),
    });
  });

  it('alarms when the schedule function fails in two windows in a row', () => {
    const template = service({ newswatch: { intervalMinutes: 20 } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(template, 'Plans a sweep') } }],
      Statistic: 'Sum',
      Period: 20 * 60,
      EvaluationPeriods: 2,
      Threshold: 1,
    });
  });

  it('alarms when half the polled feeds fail in two windows, or none is polled, from the one FeedFailures series', () => {
    service().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Newswatch',
      MetricName: 'FeedFailures',
      Dimensions: [{ Name: 'service', Value: 'newswatch' }],
      Statistic: 'Average',
      Period: 15 * 60,
      EvaluationPeriods: 2,
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
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

  it('reads no custom metric other than the ones essential functions emit', () => {
    const names = alarms(service())
      .map((alarm) => alarm.Properties)
      .filter((properties) => properties.Namespace === 'Newswatch')
      .map((properties) => properties.MetricName);
    expect(new Set(names)).toEqual(ESSENTIAL_METRIC_NAMES);
  });
});

describe('Monitoring: full level', () => {
  const full = (context: Record<string, unknown> = {}) =>
    service({ monitoring: 'full', ...context });

  it('alarms on errors and throttles of every function within five minutes', () => {
    const template = full();
    for (const metric of ['Errors', 'Throttles']) {
      const found = template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: metric, Namespace: 'AWS/Lambda', Period: 300 },
      });
      expect(Object.keys(found), metric).toHaveLength(4);
    }
  });

  it('builds a dashboard and outputs its name', () => {
    const template = full();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.keys(template.findOutputs('DashboardName'))).toEqual(['DashboardName']);
  });

  it('keeps every essential alarm and adds the scheduler dead letters', () => {
    const essential = alarms(service(ONE_SUBSCRIBER)).length;
    expect(alarms(full(ONE_SUBSCRIBER)).length).toBe(essential + 8 + 1);
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

describe('the cost model reads the same monitoring as the stack', () => {
  it.each(['essential', 'full'] as const)('counts the alarm metrics of the %s level', (level) => {
    expect(monitoringFacts(level).alarmMetrics).toBe(
      alarmMetricCount(service({ monitoring: level, ...ONE_SUBSCRIBER })),
    );
  });

  it.each(['essential', 'full'] as const)('counts the dashboards of the %s level', (level) => {
    const dashboards = Object.keys(
      service({ monitoring: level }).findResources('AWS::CloudWatch::Dashboard'),
    ).length;
    expect(monitoringFacts(level).dashboards).toBe(dashboards);
  });
});

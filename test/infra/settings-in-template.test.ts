import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnvName } from '#shared/config/lambda-env.ts';
import { buildTestApp } from './build-test-app.ts';
import { functionId } from './template-helpers.ts';

/** Every deployed setting moved off its default, each given as a user would with `-c key=value`. */
const SETTINGS = {
  intervalMinutes: '30',
  'thresholds.match': '0.41',
  'thresholds.alert': '0.77',
  'alerts.emails': '["news@example.com"]',
  'alerts.maxPerSweep': '4',
  'alerts.maxPerHour': '12',
  'alerts.mode': 'hourly',
  'api.authMode': 'none',
  'api.corsOrigins': '["https://news.example.com"]',
  'retention.matchesDays': '90',
  'retention.ledgerDays': '14',
  'fetch.timeoutMs': '15000',
  'fetch.maxBodyBytes': '2097152',
  'fetch.perHostConcurrency': '3',
};

let service: Template;
let storage: Template;

function environmentOf(description: string): Record<string, unknown> {
  const id = functionId(service, description);
  const fn = service.findResources('AWS::Lambda::Function')[id];
  return fn?.Properties.Environment.Variables ?? {};
}

beforeAll(() => {
  const app = buildTestApp(SETTINGS);
  service = Template.fromStack(app.service);
  storage = Template.fromStack(app.storage);
});

describe('every setting given with -c lands in the template', () => {
  it('intervalMinutes: the sweep schedule rate', () => {
    service.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
    });
  });

  it('thresholds: the ingest function that scores and the api function that reports them', () => {
    for (const fn of ['Ingests a chunk', 'Serves matches']) {
      expect(environmentOf(fn), fn).toMatchObject({
        [EnvName.matchThreshold]: '0.41',
        [EnvName.alertThreshold]: '0.77',
      });
    }
  });

  it('alerts.emails: an e-mail subscription on the alert topic', () => {
    storage.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'news@example.com',
    });
  });

  it('alerts caps and mode: the alert function, and the hourly digest schedule', () => {
    expect(environmentOf('Alerts new matches')).toMatchObject({
      [EnvName.alertMaxPerSweep]: '4',
      [EnvName.alertMaxPerHour]: '12',
      [EnvName.alertMode]: 'hourly',
    });
    service.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({ Input: JSON.stringify({ action: 'flush-digest' }) }),
    });
  });

  it('api.authMode and api.corsOrigins: the methods and the api function', () => {
    service.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
    });
    expect(environmentOf('Serves matches')).toMatchObject({
      [EnvName.corsOrigins]: 'https://news.example.com',
    });
  });

  it('retention: every function that stores or reads matches', () => {
    for (const fn of ['Ingests a chunk', 'Alerts new matches', 'Serves matches']) {
      expect(environmentOf(fn), fn).toMatchObject({
        [EnvName.matchRetentionDays]: '90',
        [EnvName.ledgerRetentionDays]: '14',
      });
    }
  });

  it('fetch limits: the ingest function', () => {
    expect(environmentOf('Ingests a chunk')).toMatchObject({
      [EnvName.fetchTimeoutMs]: '15000',
      [EnvName.fetchMaxBodyBytes]: '2097152',
      [EnvName.fetchPerHostConcurrency]: '3',
    });
  });
});

import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { NewswatchFunction, type NewswatchFunctionProps } from '#infra/newswatch-function.ts';
import { unbundledApp } from './build-test-app.ts';

function stackWith(props: Partial<NewswatchFunctionProps> = {}) {
  const stack = new Stack(unbundledApp(), 'Test');
  const fn = new NewswatchFunction(stack, 'Fn', {
    entry: 'functions/schedule/handler.ts',
    description: 'test function',
    ...props,
  });
  return { stack, fn };
}

function tableIn(stack: Stack): dynamodb.Table {
  return new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
}

function allowed(stack: Stack): string[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap(
      (statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]),
    ),
  );
}

describe('NewswatchFunction', () => {
  it('defaults to 30 s, 512 MiB, one month of logs and ESM bundles with the Powertools settings', () => {
    const { stack } = stackWith();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 30,
      MemorySize: 512,
      Handler: 'index.handler',
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'newswatch',
          POWERTOOLS_METRICS_NAMESPACE: 'Newswatch',
          NEWSWATCH_METRICS_LEVEL: 'essential',
        },
      },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('lets the role write only to its own log group and its traces until an intent method grants more', () => {
    const { stack } = stackWith();
    expect(allowed(stack).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it("useTable('read') sets TABLE_NAME and grants no write action", () => {
    const { stack, fn } = stackWith();
    fn.useTable(tableIn(stack), 'read');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.anyValue() } }) },
    });
    const actions = allowed(stack);
    expect(actions).toContain('dynamodb:GetItem');
    expect(
      actions.filter((action) => /^dynamodb:.*(Put|Update|Delete|Write)/.test(action)),
    ).toEqual([]);
  });

  it("useTable('readWrite') grants writes", () => {
    const { stack, fn } = stackWith();
    fn.useTable(tableIn(stack), 'readWrite');
    expect(allowed(stack)).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
  });

  it('publishTo sets ALERT_TOPIC_ARN and grants sns:Publish on that topic', () => {
    const { stack, fn } = stackWith();
    fn.publishTo(new sns.Topic(stack, 'Topic'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALERT_TOPIC_ARN: { Ref: Match.anyValue() } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.anyValue() } }),
        ]),
      },
    });
  });

  it('useMetricsLevel sets NEWSWATCH_METRICS_LEVEL', () => {
    const { stack, fn } = stackWith();
    fn.useMetricsLevel('full');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NEWSWATCH_METRICS_LEVEL: 'full' }) },
    });
  });

  it('points SEEDS_DIR and FEEDS_FILE at the copies inside the bundle', () => {
    const { stack } = stackWith({ seedsDir: 'seeds', feedsFile: 'seeds/feeds.json' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SEEDS_DIR: '/var/task/seeds',
          FEEDS_FILE: '/var/task/feeds/feeds.json',
        }),
      },
    });
  });

  it('rejects a timeout over 15 minutes at synth', () => {
    expect(() => stackWith({ timeout: Duration.minutes(16) })).toThrow(
      /timeout must be 1-900 seconds, got 960/,
    );
  });

  it('rejects a memory size outside 128-10240 MiB at synth', () => {
    expect(() => stackWith({ memorySizeInMiB: 64 })).toThrow(
      /memorySizeInMiB must be an integer 128-10240, got 64/,
    );
  });

  it('rejects a missing entry file, a missing seeds folder and a missing feed list at synth', () => {
    expect(() => stackWith({ entry: 'functions/nope/handler.ts' })).toThrow(/entry file not found/);
    expect(() => stackWith({ seedsDir: 'no-such-seeds' })).toThrow(/seedsDir is not a folder/);
    expect(() => stackWith({ feedsFile: 'no-such-feeds.json' })).toThrow(/feedsFile is not a file/);
  });
});

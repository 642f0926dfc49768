import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.ts';

describe('the first deploy in any account', () => {
  it("sets API Gateway's account-level CloudWatch role, which access logging needs, and keeps it", () => {
    const { service } = buildTestApp({ alertEmail: 'me@example.com' });
    const template = Template.fromStack(service);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.hasResource('AWS::ApiGateway::Account', {
      DeletionPolicy: 'Retain',
      Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
    });
    template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        }),
      },
    });
    // The stage (with its access logs) is created only once the account's role is set.
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    const account = Object.keys(template.findResources('AWS::ApiGateway::Account'))[0];
    expect(stage?.DependsOn).toContain(account);
  });

  it('warns at synth when no alert e-mail is given, and not when one is', () => {
    const silent = buildTestApp();
    Annotations.fromStack(silent.storage).hasWarning(
      '*',
      Match.stringLikeRegexp('No alert e-mail address.*-c alertEmail='),
    );
    const subscribed = buildTestApp({ alertEmail: 'me@example.com' });
    Annotations.fromStack(subscribed.storage).hasNoWarning(
      '*',
      Match.stringLikeRegexp('No alert e-mail address'),
    );
  });
});

describe('two instances in one account and region', () => {
  it('keeps the single-instance stack names when no instance is named', () => {
    const { storage, service } = buildTestApp();
    expect([storage.stackName, service.stackName]).toEqual([
      'NewswatchStorage',
      'NewswatchService',
    ]);
    Template.fromStack(service).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'NewswatchApi',
    });
  });

  it('prefixes the stacks and names the API after the instance', () => {
    const test = buildTestApp({ instance: 'NewsTest' });
    const prod = buildTestApp({ instance: 'NewsProd' });
    expect([test.storage.stackName, test.service.stackName]).toEqual([
      'NewsTestStorage',
      'NewsTestService',
    ]);
    expect(prod.service.stackName).toBe('NewsProdService');
    Template.fromStack(test.service).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'NewsTestApi',
    });
    // Nothing is given a fixed physical name, so the two instances' resources cannot collide.
    for (const stack of [test.storage, test.service]) {
      const resources = Template.fromStack(stack).toJSON().Resources as Record<
        string,
        { Properties?: Record<string, unknown> }
      >;
      for (const resource of Object.values(resources)) {
        for (const key of ['TableName', 'TopicName', 'QueueName', 'FunctionName', 'RoleName']) {
          expect(typeof resource.Properties?.[key], key).not.toBe('string');
        }
      }
    }
  });

  it('tags every taggable resource with the app and the instance, for cost allocation', () => {
    const { storage, service } = buildTestApp({ instance: 'NewsTest' });
    let checked = 0;
    for (const stack of [storage, service]) {
      const template = Template.fromStack(stack);
      for (const type of ['AWS::DynamoDB::Table', 'AWS::Lambda::Function', 'AWS::SQS::Queue']) {
        for (const resource of Object.values(template.findResources(type))) {
          expect(resource.Properties.Tags ?? resource.Properties.TagSpecification, type).toEqual(
            expect.arrayContaining([
              { Key: 'newswatch:app', Value: 'newswatch' },
              { Key: 'newswatch:instance', Value: 'NewsTest' },
            ]),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('refuses an instance name CloudFormation could not use, naming the context key', () => {
    expect(() => buildTestApp({ instance: 'news watch' })).toThrow(/instance/);
    expect(() => buildTestApp({ instance: '1st' })).toThrow(/instance/);
  });
});

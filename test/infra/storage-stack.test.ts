import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StorageStack } from '#infra/storage-stack.ts';
import { TABLE_DESIGN } from '#shared/store/table-design.ts';

function template(props: ConstructorParameters<typeof StorageStack>[2] = {}): Template {
  return Template.fromStack(new StorageStack(new App(), 'Storage', props));
}

describe('StorageStack', () => {
  it('builds the table from TABLE_DESIGN: keys and both global indexes', () => {
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_DESIGN.globalIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
    });
  });

  it('bills the table on demand', () => {
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      ProvisionedThroughput: Match.absent(),
    });
  });

  it('streams new images, expires items by TTL, keeps point-in-time recovery and encrypts with KMS', () => {
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: TABLE_DESIGN.streamViewType },
      TimeToLiveSpecification: {
        AttributeName: TABLE_DESIGN.timeToLiveAttribute,
        Enabled: true,
      },
      PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('retains the table and protects it from deletion by default', () => {
    const stack = template();
    stack.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    stack.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('deletes the table with the stack when the removal policy is DESTROY', () => {
    const stack = template({ tableRemovalPolicy: RemovalPolicy.DESTROY });
    stack.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    stack.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  it('encrypts the alert topic with the AWS managed SNS key and creates no KMS key by default', () => {
    const stack = template();
    stack.resourceCountIs('AWS::KMS::Key', 0);
    stack.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'newswatch alerts',
      KmsMasterKeyId: 'alias/aws/sns',
    });
  });

  it('leaves the ops topic unencrypted by default, so CloudWatch alarms can publish to it', () => {
    template().hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'newswatch operations',
      KmsMasterKeyId: Match.absent(),
    });
  });

  it('encrypts both topics with one rotating customer-managed key when asked for kms', () => {
    const stack = template({ opsTopicEncryption: 'kms' });
    stack.resourceCountIs('AWS::KMS::Key', 1);
    stack.resourceCountIs('AWS::SNS::Topic', 2);
    stack.allResourcesProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
    });
    stack.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('refuses publishing to either topic without TLS', () => {
    const policies = template().findResources('AWS::SNS::TopicPolicy');
    const denials = Object.values(policies).filter((policy) =>
      JSON.stringify(policy).includes('"aws:SecureTransport":"false"'),
    );
    expect(denials).toHaveLength(2);
  });

  it('lets CloudWatch alarms publish to the ops topic through the customer-managed key', () => {
    template({ opsTopicEncryption: 'kms' }).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it("lets only this account's CloudWatch alarms publish to the ops topic", () => {
    template().hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('subscribes each address by e-mail, all redriving to the one delivery dead-letter queue', () => {
    const stack = template({ alertEmails: ['a@example.com', 'b@example.com'] });
    stack.resourceCountIs('AWS::SNS::Subscription', 4);
    stack.resourceCountIs('AWS::SQS::Queue', 1);
    const queue = Object.keys(stack.findResources('AWS::SQS::Queue'))[0] as string;
    stack.allResourcesProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
    });
  });

  it('keeps the delivery dead-letter queue without subscriptions, for failed alert batches', () => {
    template().resourceCountIs('AWS::SQS::Queue', 1);
  });

  it('subscribes the alert addresses to the ops topic when no ops address is given', () => {
    template({ alertEmails: ['a@example.com'] }).resourceCountIs('AWS::SNS::Subscription', 2);
  });

  it('encrypts subscription dead-letter queues and refuses them without TLS', () => {
    const stack = template({ alertEmails: ['a@example.com'], opsEmails: [] });
    stack.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    stack.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('rejects a malformed e-mail address at synth with the address in the message', () => {
    expect(() => template({ alertEmails: ['not-an-address'] })).toThrow(
      /not an e-mail address: "not-an-address"/,
    );
  });
});

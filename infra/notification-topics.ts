import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OpsTopicEncryption } from './deploy-config.ts';

/** The AWS managed key of SNS: no monthly fee, and its key policy lets SNS use it for the account. */
const SNS_MANAGED_KEY = 'alias/aws/sns';

/** An e-mail address, loosely: SNS rejects the rest at deploy time, this catches typos at synth. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NotificationTopicsProps {
  /**
   * Addresses subscribed to the alert topic (each must confirm the subscription e-mail).
   * @default - no subscriptions; add any SNS subscriber later
   */
  readonly alertEmails?: readonly string[];
  /**
   * Addresses subscribed to the ops topic, where the CloudWatch alarms go.
   * @default - the alert addresses
   */
  readonly opsEmails?: readonly string[];
  /**
   * `kms`: one customer-managed key ($1 a month) encrypts both topics, with a key policy that lets
   * CloudWatch alarms publish. `none`: the alert topic uses the AWS managed key `alias/aws/sns` and
   * the ops topic, which carries only alarm names and states, is not encrypted at rest (CloudWatch
   * alarms cannot publish to a topic under an AWS managed key).
   * @default 'none'
   */
  readonly encryption?: OpsTopicEncryption;
}

/**
 * The alert topic (matches for people) and the ops topic (alarms for the operator), TLS-only and
 * encrypted as {@link NotificationTopicsProps.encryption} says, and one dead-letter queue for
 * every notification that could not be delivered: the e-mail subscriptions redrive to it and the
 * alert pipeline sends the stream records it gave up on to it, so one depth alarm covers them all.
 */
export class NotificationTopics extends Construct {
  public readonly alertTopic: sns.Topic;
  public readonly opsTopic: sns.Topic;
  /** The customer-managed key of both topics, only with `encryption: 'kms'`. */
  public readonly key?: kms.Key;
  /** Undelivered notifications: e-mail subscription redrives and, wired by the stack, failed alert batches. */
  public readonly deliveryDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps = {}) {
    super(scope, id);
    const alertEmails = [...(props.alertEmails ?? [])];
    const opsEmails = [...(props.opsEmails ?? alertEmails)];
    for (const email of [...alertEmails, ...opsEmails]) {
      if (!EMAIL.test(email)) {
        throw new Error(`NotificationTopics ${this.node.path}: not an e-mail address: "${email}"`);
      }
    }

    this.deliveryDeadLetterQueue = new sqs.Queue(this, 'DeliveryDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deliveryDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the e-mail subscriptions and the alert stream mapping (alarmed on depth); a DLQ of a DLQ would only move the problem.',
    });

    if (props.encryption === 'kms') {
      this.key = this.alarmPublishableKey();
      this.alertTopic = new sns.Topic(this, 'AlertTopic', {
        displayName: 'newswatch alerts',
        masterKey: this.key,
        enforceSSL: true,
      });
      this.opsTopic = new sns.Topic(this, 'OpsTopic', {
        displayName: 'newswatch operations',
        masterKey: this.key,
        enforceSSL: true,
      });
    } else {
      this.alertTopic = new sns.Topic(this, 'AlertTopic', {
        displayName: 'newswatch alerts',
        enforceSSL: true,
      });
      // Set on the resource rather than as masterKey: only Lambda publishes here, and the AWS
      // managed key's own policy admits the account's principals through SNS, so the publisher
      // needs sns:Publish alone (as masterKey, CDK would add a kms grant the publisher does not need).
      (this.alertTopic.node.defaultChild as sns.CfnTopic).kmsMasterKeyId = SNS_MANAGED_KEY;
      this.opsTopic = new sns.Topic(this, 'OpsTopic', {
        displayName: 'newswatch operations',
        enforceSSL: true,
      });
      Validations.of(this.opsTopic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'CloudWatch alarms cannot publish to a topic under the AWS managed SNS key, and this topic carries only alarm names and states; a customer-managed key would cost $1/month (deploy with -c opsTopicEncryption=kms to have one).',
      });
    }
    this.opsTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.opsTopic.topicArn],
        // Only this account's alarms, not another account's CloudWatch acting on its behalf.
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    for (const email of alertEmails) this.subscribeEmail(this.alertTopic, email);
    for (const email of opsEmails) this.subscribeEmail(this.opsTopic, email);
  }

  /** The customer-managed key, rotating, whose policy lets this account's alarms publish. */
  private alarmPublishableKey(): kms.Key {
    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the newswatch alert and ops topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the ops topic, so the service needs the key's data-key rights.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return key;
  }

  private subscribeEmail(topic: sns.Topic, email: string): void {
    topic.addSubscription(
      new subscriptions.EmailSubscription(email, { deadLetterQueue: this.deliveryDeadLetterQueue }),
    );
  }
}

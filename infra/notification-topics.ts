import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

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
}

/**
 * The alert topic (matches for people) and the ops topic (alarms for the operator), both
 * encrypted with one customer-managed key (so CloudWatch may publish to them) and TLS-only.
 * Each e-mail subscription has its own dead-letter queue for undeliverable messages.
 */
export class NotificationTopics extends Construct {
  public readonly alertTopic: sns.Topic;
  public readonly opsTopic: sns.Topic;
  public readonly key: kms.Key;
  /** Dead-letter queues of the e-mail subscriptions, for the depth alarms. */
  public readonly subscriptionDeadLetterQueues: sqs.Queue[] = [];

  constructor(scope: Construct, id: string, props: NotificationTopicsProps = {}) {
    super(scope, id);
    const alertEmails = [...(props.alertEmails ?? [])];
    const opsEmails = [...(props.opsEmails ?? alertEmails)];
    for (const email of [...alertEmails, ...opsEmails]) {
      if (!EMAIL.test(email)) {
        throw new Error(`NotificationTopics ${this.node.path}: not an e-mail address: "${email}"`);
      }
    }

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the newswatch alert and ops topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the ops topic, so the service needs the key's data-key rights.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

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

    alertEmails.forEach((email, index) => {
      this.subscribeEmail(this.alertTopic, email, `AlertEmail${index}`);
    });
    opsEmails.forEach((email, index) => {
      this.subscribeEmail(this.opsTopic, email, `OpsEmail${index}`);
    });
  }

  private subscribeEmail(topic: sns.Topic, email: string, id: string): void {
    const deadLetterQueue = new sqs.Queue(this, `${id}DeadLetters`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of an SNS e-mail subscription; a DLQ of a DLQ would only move the problem.',
    });
    this.subscriptionDeadLetterQueues.push(deadLetterQueue);
    topic.addSubscription(new subscriptions.EmailSubscription(email, { deadLetterQueue }));
  }
}

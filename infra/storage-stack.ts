import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { OpsTopicEncryption } from './deploy-config.ts';
import { NewswatchTable } from './newswatch-table.ts';
import { NotificationTopics } from './notification-topics.ts';

export interface StorageStackProps extends StackProps {
  /**
   * Keep the table when the stack is deleted (`RETAIN`) or delete it with the stack (`DESTROY`).
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * Addresses subscribed to the alert topic.
   * @default - none
   */
  readonly alertEmails?: readonly string[];
  /**
   * Addresses subscribed to the ops (alarm) topic.
   * @default - the alert addresses
   */
  readonly opsEmails?: readonly string[];
  /**
   * `kms` adds a customer-managed key for both topics; see NotificationTopicsProps.encryption.
   * @default 'none'
   */
  readonly opsTopicEncryption?: OpsTopicEncryption;
}

/**
 * The stateful half of newswatch: the table (matches, ledger, feed state) and the two topics.
 * It changes rarely and is deployed first; the service stack receives its parts as typed props.
 */
export class StorageStack extends Stack {
  public readonly table: dynamodb.ITable;
  public readonly alertTopic: sns.ITopic;
  public readonly opsTopic: sns.ITopic;
  /** Undelivered notifications (e-mail redrives, failed alert batches), for the depth alarm. */
  public readonly deliveryDeadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: StorageStackProps = {}) {
    super(scope, id, props);
    this.table = new NewswatchTable(this, 'Matches', {
      removalPolicy: props.tableRemovalPolicy ?? RemovalPolicy.RETAIN,
    }).table;
    const topics = new NotificationTopics(this, 'Notifications', {
      alertEmails: props.alertEmails,
      opsEmails: props.opsEmails,
      encryption: props.opsTopicEncryption,
    });
    this.alertTopic = topics.alertTopic;
    this.opsTopic = topics.opsTopic;
    this.deliveryDeadLetterQueue = topics.deliveryDeadLetterQueue;
  }
}

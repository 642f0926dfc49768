import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '#shared/store/table-design.ts';

export interface NewswatchTableProps {
  /**
   * What happens to the table (and every match in it) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days of point-in-time recovery kept (1-35).
   * @default 35
   */
  readonly recoveryPeriodInDays?: number;
}

/**
 * The single table, built from TABLE_DESIGN (the same design the store adapter and the local setup
 * use): on-demand billing, a NEW_IMAGE stream for the alert outbox, TTL, PITR, AWS-managed KMS.
 */
export class NewswatchTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: NewswatchTableProps = {}) {
    super(scope, id);
    const recoveryPeriodInDays = props.recoveryPeriodInDays ?? 35;
    if (
      !Number.isInteger(recoveryPeriodInDays) ||
      recoveryPeriodInDays < 1 ||
      recoveryPeriodInDays > 35
    ) {
      throw new Error(
        `NewswatchTable ${this.node.path}: recoveryPeriodInDays must be an integer 1-35, got ${recoveryPeriodInDays}`,
      );
    }
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType[TABLE_DESIGN.streamViewType],
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays,
      },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: (props.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_DESIGN.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}

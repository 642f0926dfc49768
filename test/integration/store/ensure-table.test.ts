import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { TableDesignMismatchError } from '#shared/store/store-errors.ts';
import { TABLE_DESIGN } from '#shared/store/table-design.ts';
import { createTestTable, dynamoLocalEndpoint, type TestTable } from '../support/dynamo-table.ts';

describe.skipIf(!dynamoLocalEndpoint())('ensureTable on DynamoDB Local', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await createTestTable(dynamoLocalEndpoint() ?? '', 'ensure');
  });
  afterAll(async () => table.drop());

  it('creates the key schema and the indexes of the table design', async () => {
    const { Table } = await table.client.send(
      new DescribeTableCommand({ TableName: table.tableName }),
    );

    expect(Table?.KeySchema?.map((key) => key.AttributeName)).toEqual([
      TABLE_DESIGN.partitionKey,
      TABLE_DESIGN.sortKey,
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      TABLE_DESIGN.globalIndexes.map((index) => index.indexName),
    );
  });

  it('turns on the stream with the design view type', async () => {
    const { Table } = await table.client.send(
      new DescribeTableCommand({ TableName: table.tableName }),
    );

    expect(Table?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: TABLE_DESIGN.streamViewType,
    });
  });

  it('enables TTL on the design attribute', async () => {
    const { TimeToLiveDescription } = await table.client.send(
      new DescribeTimeToLiveCommand({ TableName: table.tableName }),
    );

    expect(TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: TABLE_DESIGN.timeToLiveAttribute,
    });
  });

  it('leaves an existing table as it is', async () => {
    await expect(ensureTable(table.client, table.tableName)).resolves.toBeUndefined();
  });

  it('refuses an existing table made to another design, naming what differs', async () => {
    const tableName = `${table.tableName}-old`;
    await table.client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );

    const attempt = ensureTable(table.client, tableName);

    await expect(attempt).rejects.toBeInstanceOf(TableDesignMismatchError);
    await expect(attempt).rejects.toThrow(/index gsi1/);
    await table.client.send(new DeleteTableCommand({ TableName: tableName }));
  });
});

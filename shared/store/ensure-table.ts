import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TableDesignMismatchError } from './store-errors.ts';
import { TABLE_DESIGN } from './table-design.ts';

const ACTIVE_TIMEOUT_MS = 60_000;

/**
 * Creates the table from TABLE_DESIGN when it is missing (on-demand, stream on, TTL where
 * supported) and waits until it is active; an existing table must have the design's keys and indexes.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const existing = await describe(client, tableName);
  if (existing) {
    checkDesign(existing, tableName);
  } else {
    await createTable(client, tableName);
    await enableTimeToLive(client, tableName);
  }
  await waitUntilActive(client, tableName);
}

async function describe(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** A table made by another version would fail on the first query; say so plainly instead. */
function checkDesign(table: TableDescription, tableName: string): void {
  const keys = (schema: KeySchemaElement[] | undefined) =>
    (schema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
  const wanted = `${TABLE_DESIGN.partitionKey}:HASH,${TABLE_DESIGN.sortKey}:RANGE`;
  if (keys(table.KeySchema) !== wanted) {
    throw new TableDesignMismatchError(
      tableName,
      `keys are ${keys(table.KeySchema)}, not ${wanted}`,
    );
  }
  for (const index of TABLE_DESIGN.globalIndexes) {
    const found = table.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.indexName);
    const wantedIndex = `${index.partitionKey}:HASH,${index.sortKey}:RANGE`;
    if (!found || keys(found.KeySchema) !== wantedIndex) {
      throw new TableDesignMismatchError(
        tableName,
        `index ${index.indexName} (${wantedIndex}) is missing or keyed otherwise`,
      );
    }
  }
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const keyNames = [
    TABLE_DESIGN.partitionKey,
    TABLE_DESIGN.sortKey,
    ...TABLE_DESIGN.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const attributes: AttributeDefinition[] = [...new Set(keyNames)].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  const input = {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributes,
    KeySchema: [
      { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE_DESIGN.globalIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DESIGN.streamViewType },
  };
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    // Another process created it first: that is the outcome we wanted.
    if ((error as Error).name === 'ResourceInUseException') return;
    throw error;
  }
}

/** dynalite has no UpdateTimeToLive; it then simply keeps expired items, which readers tolerate. */
async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  await waitUntilActive(client, tableName);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: {
          Enabled: true,
          AttributeName: TABLE_DESIGN.timeToLiveAttribute,
        },
      }),
    );
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'UnknownOperationException' || name === 'ValidationException') return;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) {
      throw new Error(
        `table ${tableName} is still ${Table?.TableStatus} after ${ACTIVE_TIMEOUT_MS} ms`,
      );
    }
    await sleep(50);
  }
}

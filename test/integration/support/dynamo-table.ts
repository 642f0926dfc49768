import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoDbStore, type DynamoDbStoreOptions } from '#shared/store/dynamodb-store.ts';
import {
  type EmbeddedCredentials,
  type EmbeddedDynamoDb,
  startEmbeddedDynamoDb,
} from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';

/** A fresh, uniquely named table on a DynamoDB API endpoint, with clients to reach it. */
export interface TestTable {
  endpoint: string;
  tableName: string;
  /** What the endpoint accepts (the embedded store takes only its own). */
  credentials: EmbeddedCredentials;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  /** A store on this table; options override the defaults (e.g. `now`, `cursorSecret`). */
  store(options?: Partial<Omit<DynamoDbStoreOptions, 'client' | 'tableName'>>): DynamoDbStore;
  /** Deletes the table and closes the clients. */
  drop(): Promise<void>;
}

/**
 * Creates a table named after `prefix` plus a random suffix on `endpoint`, from TABLE_DESIGN.
 * DynamoDB Local takes any credentials; the embedded store only its own.
 */
export async function createTestTable(
  endpoint: string,
  prefix = 'test',
  credentials: EmbeddedCredentials = { accessKeyId: 'local', secretAccessKey: 'local' },
): Promise<TestTable> {
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials,
  });
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  await ensureTable(client, tableName);
  return {
    endpoint,
    tableName,
    credentials,
    client,
    documentClient,
    store: (options = {}) => new DynamoDbStore({ client: documentClient, tableName, ...options }),
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    },
  };
}

/** An in-memory embedded (dynalite) store for one test file: its endpoint, credentials and a way to stop it. */
export async function startEmbeddedTestDb(): Promise<EmbeddedDynamoDb> {
  return startEmbeddedDynamoDb({});
}

/**
 * A ready store on a fresh in-memory embedded (dynalite) database, the way `npm start` runs it;
 * `close` drops the table and stops the database.
 */
export async function createEmbeddedTestStore(
  options?: Partial<Omit<DynamoDbStoreOptions, 'client' | 'tableName'>>,
): Promise<{ store: DynamoDbStore; table: TestTable; close(): Promise<void> }> {
  const db = await startEmbeddedDynamoDb({});
  const table = await createTestTable(db.endpoint, 'embedded', db.credentials);
  return {
    store: table.store(options),
    table,
    close: async () => {
      await table.drop();
      await db.close();
    },
  };
}

/** DynamoDB Local's endpoint, or undefined when this run has no Java (see global-setup.ts). */
export function dynamoLocalEndpoint(): string | undefined {
  return inject('dynamoLocalEndpoint') || undefined;
}

/** A fresh table on DynamoDB Local when it runs, else on an embedded dynalite. */
export async function openTestTable(
  prefix: string,
): Promise<{ table: TestTable; close(): Promise<void> }> {
  const endpoint = dynamoLocalEndpoint();
  if (!endpoint) {
    const { table, close } = await createEmbeddedTestStore();
    return { table, close };
  }
  const table = await createTestTable(endpoint, prefix);
  return { table, close: () => table.drop() };
}

import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { KEY } from './dynamodb-keys.ts';
import { isConditionFailed } from './dynamodb-retry.ts';
import {
  type CreateDynamoStoreOptions,
  DynamoDbStore,
  documentClientFor,
} from './dynamodb-store.ts';

/**
 * The deployed API's cursor signing key, kept as one item in the table it pages through. It only
 * has to be unguessable by callers of the API: whoever can read the table can read every match
 * anyway, so the table is as good a vault as a paid secret store. The first reader creates it.
 */
const CursorKeyItemSchema = z.object({
  key: z.string().min(32, 'must be at least 32 characters'),
});

/** 32 random bytes, as text: 256 bits, the HMAC-SHA256 block's worth. */
function newKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Reads the table's cursor key, creating it first if the table has none: a put that succeeds only
 * where no key exists, so two cold starts racing on an empty table end with the same key (the
 * loser reads the winner's). Reads are strongly consistent so a key just written is seen.
 */
export async function readOrCreateCursorKey(
  client: DynamoDBDocumentClient,
  tableName: string,
  generate: () => string = newKey,
): Promise<string> {
  const stored = await readKey(client, tableName);
  if (stored !== undefined) return stored;
  const key = generate();
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...KEY.cursorKey(),
          entity: 'cursor-key',
          key,
          createdAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return key;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
  }
  const winner = await readKey(client, tableName);
  if (winner === undefined) {
    throw new Error(`cursor key in table ${tableName}: written by another reader, then not found`);
  }
  return winner;
}

async function readKey(client: DynamoDBDocumentClient, tableName: string) {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: KEY.cursorKey(), ConsistentRead: true }),
  );
  if (Item === undefined) return undefined;
  const parsed = CursorKeyItemSchema.safeParse(Item);
  if (!parsed.success) {
    throw new Error(
      `cursor key in table ${tableName}: ${parsed.error.issues[0]?.message ?? 'malformed item'}`,
    );
  }
  return parsed.data.key;
}

/** The store on a table whose own cursor key signs its cursors (the deployed api function's). */
export async function createDynamoStoreWithTableKey(
  options: Omit<CreateDynamoStoreOptions, 'cursorSecret'>,
): Promise<DynamoDbStore> {
  const client = documentClientFor(options);
  return new DynamoDbStore({
    client,
    tableName: options.tableName,
    cursorSecret: await readOrCreateCursorKey(client, options.tableName),
    matchRetentionDays: options.matchRetentionDays,
    ledgerRetentionDays: options.ledgerRetentionDays,
  });
}

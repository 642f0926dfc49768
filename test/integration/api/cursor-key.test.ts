import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFunction, createApiFunction } from '#functions/api/api-function.ts';
import { readOrCreateCursorKey } from '#shared/store/dynamodb-cursor-key.ts';
import { KEY } from '#shared/store/dynamodb-keys.ts';
import { openTestTable, type TestTable } from '../support/dynamo-table.ts';
import { matchSet, storeMatches } from './api-fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

let table: TestTable;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ table, close } = await openTestTable('cursor-key'));
  await storeMatches(table.store(), matchSet(6));
});

afterAll(async () => {
  await close?.();
});

/** One cold start of the api function on the test table. */
function coldStart(): Promise<ApiFunction> {
  return createApiFunction(
    {
      TABLE_NAME: table.tableName,
      SEEDS_DIR: resolve(ROOT, 'seeds'),
      FEEDS_FILE: resolve(ROOT, 'seeds/feeds.json'),
    },
    { dynamoEndpoint: table.endpoint },
  );
}

function listing(api: ApiFunction, query: Record<string, string>) {
  return api(
    {
      httpMethod: 'GET',
      path: '/matches',
      headers: {},
      queryStringParameters: query,
      multiValueQueryStringParameters: Object.fromEntries(
        Object.entries(query).map(([name, value]) => [name, [value]]),
      ),
      requestContext: { requestId: 'r1' },
    } as unknown as APIGatewayProxyEvent,
    { awsRequestId: 'r1' },
  );
}

async function storedKey(): Promise<string | undefined> {
  const { Item } = await table.documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: KEY.cursorKey(), ConsistentRead: true }),
  );
  return Item?.key as string | undefined;
}

describe('the cursor key kept in the table', () => {
  it('is created by the first cold start, and a second cold start signs with the same key', async () => {
    expect(await storedKey()).toBeUndefined();
    const first = await coldStart();
    const key = await storedKey();
    expect(key?.length).toBeGreaterThanOrEqual(32);

    const second = await coldStart();
    expect(await storedKey()).toBe(key);
    const page = JSON.parse((await listing(first, { limit: '2' })).body) as {
      nextCursor: string;
    };
    const [payload, signature] = page.nextCursor.split('.');
    expect(signature).toBe(
      createHmac('sha256', key as string)
        .update(payload ?? '')
        .digest('base64url'),
    );
    // A cursor from one instance continues on another.
    expect((await listing(second, { limit: '2', cursor: page.nextCursor })).statusCode).toBe(200);
  });

  it('refuses a cursor signed with any other key: 400', async () => {
    const api = await coldStart();
    const page = JSON.parse((await listing(api, { limit: '2' })).body) as { nextCursor: string };
    const [payload] = page.nextCursor.split('.');
    const forged = `${payload}.${createHmac(
      'sha256',
      'a guessed key of more than thirty-two characters',
    )
      .update(payload ?? '')
      .digest('base64url')}`;
    const refused = await listing(api, { limit: '2', cursor: forged });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('cursor');
    expect((await listing(api, { limit: '2', cursor: `${payload}` })).statusCode).toBe(400);
  });

  it('ends with one key when cold starts race on a table that has none', async () => {
    const { table: empty, close: closeEmpty } = await openTestTable('cursor-race');
    try {
      const keys = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          readOrCreateCursorKey(empty.documentClient, empty.tableName, () =>
            `candidate-key-${n}-`.padEnd(48, String(n)),
          ),
        ),
      );
      expect(new Set(keys).size).toBe(1);
      const { Item } = await empty.documentClient.send(
        new GetCommand({ TableName: empty.tableName, Key: KEY.cursorKey(), ConsistentRead: true }),
      );
      expect(Item?.key).toBe(keys[0]);
    } finally {
      await closeEmpty();
    }
  });

  it('fails the cold start on a stored key too short to sign with, naming the table', async () => {
    const { table: broken, close: closeBroken } = await openTestTable('cursor-short');
    try {
      await broken.documentClient.send(
        new PutCommand({
          TableName: broken.tableName,
          Item: { ...KEY.cursorKey(), entity: 'cursor-key', key: 'short' },
        }),
      );
      await expect(readOrCreateCursorKey(broken.documentClient, broken.tableName)).rejects.toThrow(
        `cursor key in table ${broken.tableName}: must be at least 32 characters`,
      );
    } finally {
      await closeBroken();
    }
  });
});

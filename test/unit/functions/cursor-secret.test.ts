import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFunction, createApiFunction } from '#functions/api/api-function.ts';
import { readCursorSecret, secretsManagerReader } from '#functions/api/cursor-secret.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { sampleMatch } from '../../fixtures/api/api-test-data.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor-AbCdEf';
const KEY = 'a-cursor-key-generated-per-deployment';
const ROOT = resolve(import.meta.dirname, '../../..');

describe('secretsManagerReader', () => {
  it("reads the secret's current string value by its ARN", async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: KEY });
    try {
      expect(await secretsManagerReader(new SecretsManagerClient({}))(SECRET_ARN)).toBe(KEY);
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    } finally {
      secrets.restore();
    }
  });
});

describe('readCursorSecret', () => {
  it('refuses a missing or short key, naming the secret', async () => {
    await expect(readCursorSecret(async () => undefined, SECRET_ARN)).rejects.toThrow(
      `cursor secret ${SECRET_ARN}`,
    );
    await expect(readCursorSecret(async () => 'short', SECRET_ARN)).rejects.toThrow(
      /at least 32 characters/,
    );
  });
});

describe('the api function signs its cursors with the key from its secret', () => {
  let db: EmbeddedDynamoDb;
  let api: ApiFunction;
  const read: string[] = [];

  beforeAll(async () => {
    db = await startEmbeddedDynamoDb({});
    const client = new DynamoDBClient({
      endpoint: db.endpoint,
      region: 'local',
      credentials: db.credentials,
    });
    await ensureTable(client, 'cursor-secret');
    client.destroy();
    // Stored an hour ago and before, so retention (measured on the real clock) keeps them.
    const hour = 3_600_000;
    const matches = [1, 2, 3].map((n) =>
      sampleMatch(n, { storedAt: new Date(Date.now() - n * hour).toISOString() }),
    );
    const store = createDynamoStore({
      endpoint: db.endpoint,
      credentials: db.credentials,
      tableName: 'cursor-secret',
    });
    await store.storeMatches(matches, [], []);
    api = await createApiFunction(
      {
        TABLE_NAME: 'cursor-secret',
        SEEDS_DIR: resolve(ROOT, 'seeds'),
        FEEDS_FILE: resolve(ROOT, 'seeds/feeds.json'),
        CURSOR_SECRET_ARN: SECRET_ARN,
      },
      {
        dynamoEndpoint: db.endpoint,
        dynamoCredentials: db.credentials,
        readSecret: async (id) => {
          read.push(id);
          return KEY;
        },
      },
    );
  });

  afterAll(async () => {
    await db?.close();
  });

  const listing = (query: Record<string, string>) =>
    api(
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

  it('reads the secret named by CURSOR_SECRET_ARN once, at build time', () => {
    expect(read).toEqual([SECRET_ARN]);
  });

  it('signs each cursor with an HMAC under that key, and refuses one signed with another', async () => {
    const first = JSON.parse((await listing({ limit: '1' })).body) as { nextCursor: string };
    const [payload, signature] = first.nextCursor.split('.');
    expect(signature).toBe(
      createHmac('sha256', KEY)
        .update(payload ?? '')
        .digest('base64url'),
    );

    const forged = `${payload}.${createHmac('sha256', 'another key of more than 32 characters')
      .update(payload ?? '')
      .digest('base64url')}`;
    expect((await listing({ limit: '1', cursor: forged })).statusCode).toBe(400);
    expect((await listing({ limit: '1', cursor: first.nextCursor })).statusCode).toBe(200);
  });
});

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import {
  type EmbeddedCredentials,
  type EmbeddedDynamoDb,
  startEmbeddedDynamoDb,
} from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';

const dirs: string[] = [];

function localClient(
  endpoint: string,
  credentials: EmbeddedCredentials,
  extraHeaders: Record<string, string> = {},
): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials, maxAttempts: 1 });
  // Added before signing, as a browser's own headers would be: the signature covers them.
  client.middlewareStack.add(
    (next) => async (args) => {
      Object.assign((args.request as { headers: Record<string, string> }).headers, extraHeaders);
      return next(args);
    },
    { step: 'build', name: 'extraHeaders' },
  );
  return client;
}

describe('embedded DynamoDB', () => {
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1', async () => {
    const db = await startEmbeddedDynamoDb({});

    expect(new URL(db.endpoint).hostname).toBe('127.0.0.1');
    await db.close();
  });

  it('keeps what was stored under the data folder across restarts, in a folder only the user may enter', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'newswatch-store-'));
    dirs.push(dataDir);
    const match = aMatch({ id: 'kept', storedAt: new Date().toISOString() });
    const first = await startEmbeddedDynamoDb({ dataDir });
    await ensureTable(localClient(first.endpoint, first.credentials), 'newswatch');
    await createDynamoStore({
      endpoint: first.endpoint,
      credentials: first.credentials,
      tableName: 'newswatch',
    }).storeMatches([match], [], []);
    await first.close();

    const second = await startEmbeddedDynamoDb({ dataDir });
    await ensureTable(localClient(second.endpoint, second.credentials), 'newswatch');
    const stored = await createDynamoStore({
      endpoint: second.endpoint,
      credentials: second.credentials,
      tableName: 'newswatch',
    }).getMatch('kept');
    await second.close();

    expect(stored?.title).toBe(match.title);
    expect(statSync(join(dataDir, 'dynamodb')).mode & 0o777).toBe(0o700);
  });
});

describe('embedded DynamoDB against other local processes and web pages', () => {
  let db: EmbeddedDynamoDb;

  beforeAll(async () => {
    db = await startEmbeddedDynamoDb({});
  });
  afterAll(async () => db?.close());

  it('serves a client signed with its credentials', async () => {
    const tables = await localClient(db.endpoint, db.credentials).send(new ListTablesCommand({}));

    expect(tables.TableNames).toEqual([]);
  });

  it('gives each run its own credentials', async () => {
    const other = await startEmbeddedDynamoDb({});
    await other.close();

    expect(other.credentials.accessKeyId).not.toBe(db.credentials.accessKeyId);
    expect(db.credentials.accessKeyId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a client signed with any other credentials', async () => {
    const guess = { accessKeyId: 'local', secretAccessKey: 'local' };

    await expect(localClient(db.endpoint, guess).send(new ListTablesCommand({}))).rejects.toThrow(
      /not signed with this store's credentials/,
    );
  });

  it('refuses an unsigned request with 403', async () => {
    const response = await fetch(db.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });

    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('TableNames');
  });

  it.each([
    ['an Origin header', { origin: 'https://attacker.example' }],
    ['an opaque Origin', { origin: 'null' }],
    ['Sec-Fetch headers', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }],
  ])('refuses a request with %s even when signed with its credentials', async (_, headers) => {
    await expect(
      localClient(db.endpoint, db.credentials, headers).send(new ListTablesCommand({})),
    ).rejects.toThrow(/refuses requests from web browsers/);
  });

  it('answers a CORS preflight with 403 and no CORS allowance', async () => {
    const response = await fetch(db.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://attacker.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-amz-target',
      },
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('answers a plain GET with 403 rather than its health page', async () => {
    const response = await fetch(db.endpoint);

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

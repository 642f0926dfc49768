import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';

const dirs: string[] = [];

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
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

  it('keeps what was stored under the data folder across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'newswatch-store-'));
    dirs.push(dataDir);
    const match = aMatch({ id: 'kept', storedAt: new Date().toISOString() });
    const first = await startEmbeddedDynamoDb({ dataDir });
    await ensureTable(localClient(first.endpoint), 'newswatch');
    await createDynamoStore({ endpoint: first.endpoint, tableName: 'newswatch' }).storeMatches(
      [match],
      [],
      [],
    );
    await first.close();

    const second = await startEmbeddedDynamoDb({ dataDir });
    await ensureTable(localClient(second.endpoint), 'newswatch');
    const stored = await createDynamoStore({
      endpoint: second.endpoint,
      tableName: 'newswatch',
    }).getMatch('kept');
    await second.close();

    expect(stored?.title).toBe(match.title);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoStore, type DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { CliError } from './exit-codes.ts';

export const LOCAL_TABLE_NAME = 'newswatch';
const ADDRESS_FILE = 'store.json';
const SECRET_FILE = 'cursor-secret';

export interface LocalStore {
  store: DynamoDbStore;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Opens the embedded store under `dataDir`. The on-disk database admits one process at a time, so
 * when a `newswatch start` or `serve` already runs on it, this connects to that process's endpoint
 * (recorded in `store.json`) instead of opening the files a second time.
 */
export async function openLocalStore(
  dataDir: string,
  options: { advertise?: boolean } = {},
): Promise<LocalStore> {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create the data folder ${dataDir}: ${(error as Error).message}`);
  }
  const cursorSecret = readOrCreateSecret(dataDir);
  const running = await runningEndpoint(dataDir);
  if (running) {
    const store = createDynamoStore({
      endpoint: running,
      tableName: LOCAL_TABLE_NAME,
      cursorSecret,
    });
    return { store, endpoint: running, close: async () => {} };
  }

  let embedded: Awaited<ReturnType<typeof startEmbeddedDynamoDb>>;
  try {
    embedded = await startEmbeddedDynamoDb({ dataDir });
  } catch (error) {
    throw new CliError(`the local store under ${dataDir} is unusable: ${(error as Error).message}`);
  }
  const store = createDynamoStore({
    endpoint: embedded.endpoint,
    tableName: LOCAL_TABLE_NAME,
    cursorSecret,
  });
  await ensureTable(localClient(embedded.endpoint), LOCAL_TABLE_NAME);
  const addressFile = join(dataDir, ADDRESS_FILE);
  if (options.advertise) {
    writeFileSync(addressFile, JSON.stringify({ endpoint: embedded.endpoint, pid: process.pid }));
  }
  return {
    store,
    endpoint: embedded.endpoint,
    close: async () => {
      if (options.advertise) rmSync(addressFile, { force: true });
      await embedded.close();
    },
  };
}

async function runningEndpoint(dataDir: string): Promise<string | undefined> {
  const file = join(dataDir, ADDRESS_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const { endpoint, pid } = JSON.parse(readFileSync(file, 'utf8')) as {
      endpoint: string;
      pid: number;
    };
    process.kill(pid, 0);
    await localClient(endpoint).send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(1000),
    });
    return endpoint;
  } catch {
    // A stale file from a process that died: the database is ours to open.
    rmSync(file, { force: true });
    return undefined;
  }
}

function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The embedded store checks no credentials, but the SDK insists on having some. */
function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

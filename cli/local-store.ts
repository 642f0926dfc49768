import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { createDynamoStore, type DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import {
  type EmbeddedCredentials,
  startEmbeddedDynamoDb,
} from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { CliError } from './exit-codes.ts';

export const LOCAL_TABLE_NAME = 'newswatch';
const ADDRESS_FILE = 'store.json';
const SECRET_FILE = 'cursor-secret';
/** Files that let their reader into the store: the user's alone. */
const PRIVATE_FILE_MODE = 0o600;

/** `store.json`: where a running monitor's store listens and the credentials it accepts. */
const AdvertisedStoreSchema = z.object({
  endpoint: z.url(),
  pid: z.int().positive(),
  credentials: z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }),
});
type AdvertisedStore = z.infer<typeof AdvertisedStoreSchema>;

export interface LocalStore {
  store: DynamoDbStore;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Opens the embedded store under `dataDir`. The on-disk database admits one process at a time, so
 * when a `newswatch start` or `serve` already runs on it, this connects to that process's endpoint
 * with the credentials it accepts (both recorded in `store.json`, which only the user may read)
 * instead of opening the files a second time.
 */
export async function openLocalStore(
  dataDir: string,
  options: { advertise?: boolean } = {},
): Promise<LocalStore> {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CliError(`cannot create the data folder ${dataDir}: ${(error as Error).message}`);
  }
  const cursorSecret = readOrCreateSecret(dataDir);
  const running = await runningStore(dataDir);
  if (running) {
    const store = createDynamoStore({
      endpoint: running.endpoint,
      credentials: running.credentials,
      tableName: LOCAL_TABLE_NAME,
      cursorSecret,
    });
    return { store, endpoint: running.endpoint, close: async () => {} };
  }

  let embedded: Awaited<ReturnType<typeof startEmbeddedDynamoDb>>;
  try {
    embedded = await startEmbeddedDynamoDb({ dataDir });
  } catch (error) {
    throw new CliError(`the local store under ${dataDir} is unusable: ${(error as Error).message}`);
  }
  const store = createDynamoStore({
    endpoint: embedded.endpoint,
    credentials: embedded.credentials,
    tableName: LOCAL_TABLE_NAME,
    cursorSecret,
  });
  await ensureTable(localClient(embedded), LOCAL_TABLE_NAME);
  const addressFile = join(dataDir, ADDRESS_FILE);
  if (options.advertise) {
    const advertised: AdvertisedStore = {
      endpoint: embedded.endpoint,
      pid: process.pid,
      credentials: embedded.credentials,
    };
    writePrivateFile(addressFile, JSON.stringify(advertised));
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

async function runningStore(dataDir: string): Promise<AdvertisedStore | undefined> {
  const file = join(dataDir, ADDRESS_FILE);
  if (!existsSync(file)) return undefined;
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
    const running = AdvertisedStoreSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    process.kill(running.pid, 0);
    await localClient(running).send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(1000),
    });
    return running;
  } catch {
    // A stale file from a process that died (or from a version that wrote no credentials): the
    // database is ours to open.
    rmSync(file, { force: true });
    return undefined;
  }
}

function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, SECRET_FILE);
  if (existsSync(file)) {
    chmodSync(file, PRIVATE_FILE_MODE);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(32).toString('hex');
  writePrivateFile(file, secret);
  return secret;
}

/**
 * Creates `file` afresh, readable and writable by the user alone. Writing over an existing file
 * would keep its mode, so whatever was there goes first.
 */
function writePrivateFile(file: string, content: string): void {
  rmSync(file, { force: true });
  writeFileSync(file, content, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
}

function localClient(store: {
  endpoint: string;
  credentials: EmbeddedCredentials;
}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: store.endpoint,
    region: 'local',
    credentials: store.credentials,
  });
}

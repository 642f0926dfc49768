import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

type Dynalite = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

const require = createRequire(import.meta.url);

export interface EmbeddedDynamoDb {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Runs dynalite in this process on 127.0.0.1: persistent under `<dataDir>/dynamodb` when a data
 * folder is given, in memory otherwise. It speaks the DynamoDB API without streams, transactions
 * or TTL expiry, which the adapter does not rely on.
 */
export async function startEmbeddedDynamoDb(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedDynamoDb> {
  const dynalite = require('dynalite') as Dynalite;
  let path: string | undefined;
  if (options.dataDir) {
    path = join(options.dataDir, 'dynamodb');
    mkdirSync(path, { recursive: true });
  }
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

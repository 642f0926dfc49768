import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
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

/** What a DynamoDB client needs to be let in: the access key id is this run's secret. */
export interface EmbeddedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface EmbeddedDynamoDb {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** The only credentials the store accepts; a client must sign its requests with them. */
  credentials: EmbeddedCredentials;
  close(): Promise<void>;
}

/**
 * Runs dynalite in this process on 127.0.0.1: persistent under `<dataDir>/dynamodb` when a data
 * folder is given, in memory otherwise. It speaks the DynamoDB API without streams, transactions
 * or TTL expiry, which the adapter does not rely on.
 *
 * Any local process and any web page can reach a loopback port, and dynalite itself checks no
 * credentials and allows every origin. So every request first passes a check in front of it: it
 * must be signed with this run's random access key id (see `credentials`), and nothing a browser
 * sends (an `Origin` or `Sec-Fetch-*` header, a CORS preflight) gets through.
 */
export async function startEmbeddedDynamoDb(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedDynamoDb> {
  const dynalite = require('dynalite') as Dynalite;
  let path: string | undefined;
  if (options.dataDir) {
    path = join(options.dataDir, 'dynamodb');
    mkdirSync(path, { recursive: true, mode: 0o700 });
    // The database files are the user's alone, whatever mode an older version left.
    chmodSync(path, 0o700);
  }
  const secret = randomBytes(32).toString('hex');
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  guardRequests(server, secret);
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
    credentials: { accessKeyId: secret, secretAccessKey: secret },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Puts the credential and browser checks in front of dynalite's own request handler. */
function guardRequests(server: Server, secret: string): void {
  const [dynaliteHandler] = server.listeners('request') as RequestListener[];
  if (!dynaliteHandler) throw new Error('dynalite created a server without a request handler');
  server.removeAllListeners('request');
  const expected = digest(secret);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refusal = refusalOf(request, expected);
    if (refusal) refuse(response, refusal);
    else dynaliteHandler.call(server, request, response);
  });
}

/** Why a request may not reach the store, or undefined when it may. */
function refusalOf(request: IncomingMessage, expected: Buffer): string | undefined {
  const headers = Object.keys(request.headers);
  if (
    request.method === 'OPTIONS' ||
    headers.some((name) => name === 'origin' || name.startsWith('sec-fetch-'))
  ) {
    return 'the embedded store refuses requests from web browsers';
  }
  if (request.method !== 'POST') return 'the embedded store takes signed POST requests only';
  // SigV4: `AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/<service>/aws4_request, ...`
  const keyId = /\bCredential=([^/\s,]+)\//.exec(request.headers.authorization ?? '')?.[1];
  if (keyId === undefined || !timingSafeEqual(digest(keyId), expected)) {
    return "the request is not signed with this store's credentials (see store.json in the data folder)";
  }
  return undefined;
}

/** Answers as DynamoDB does when it does not know the caller, and drops the connection. */
function refuse(response: ServerResponse, message: string): void {
  const body = JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#UnrecognizedClientException',
    message,
  });
  response.writeHead(403, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  response.end(body);
}

/** Comparing fixed-length digests keeps the comparison constant-time whatever the key length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

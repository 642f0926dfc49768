import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MisdirectedRequestError,
  RequestBodyNotAllowedError,
  UnauthorizedError,
} from './api-errors.ts';
import type { ApiRequest, ApiResponse, ApiRouter } from './api-types.ts';
import { problemResponse } from './problem-response.ts';

export interface LocalApiServerOptions {
  router: ApiRouter;
  /** 0 picks any free port. */
  port: number;
  /**
   * Default 127.0.0.1: the local API is for this machine only. Any address but a loopback one
   * needs `apiKey`, and the server refuses to start without it.
   */
  host?: string;
  /** When set, every request but a CORS preflight must carry it in `x-api-key`. */
  apiKey?: string;
}

/** Binding beyond loopback without a key would hand the matches to anyone on the network. */
export class UnprotectedBindError extends Error {
  override readonly name = 'UnprotectedBindError';
  constructor(host: string) {
    super(
      `refusing to serve on ${host} without an API key: that address is reachable from other machines and nothing would check who asks; set NEWSWATCH_API_KEY (or api.localKey), or serve on 127.0.0.1`,
    );
  }
}

/** True for the addresses and names that stay on this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return (
    name === 'localhost' ||
    name === '::1' ||
    name === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(name)
  );
}

export interface LocalApiServer {
  /** e.g. `http://localhost:8787`. */
  url: string;
  close(): Promise<void>;
}

/** Bounds that keep one slow or greedy client from holding the server. */
const LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16 * 1024,
  maxConnections: 256,
  maxRequestsPerSocket: 1000,
  closeGraceMs: 3_000,
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Methods whose body the server reads and hands to the router. */
const BODY_METHODS = new Set(['POST', 'DELETE']);
/** Largest body read: a feed to add is a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** Serves the router over node:http, for `newswatch serve` and `newswatch start`. */
export async function startLocalApiServer(options: LocalApiServerOptions): Promise<LocalApiServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  if (!loopback && !options.apiKey) throw new UnprotectedBindError(host);
  const expectedKey = options.apiKey ? digest(options.apiKey) : undefined;
  // Filled in once listening, when the port is known.
  let allowedHosts = new Set<string>();

  const server = createServer(
    {
      headersTimeout: LIMITS.headersTimeoutMs,
      requestTimeout: LIMITS.requestTimeoutMs,
      keepAliveTimeout: LIMITS.keepAliveTimeoutMs,
      maxHeaderSize: LIMITS.maxHeaderBytes,
    },
    (request, response) => {
      void handle(request, response);
    },
  );
  server.maxConnections = LIMITS.maxConnections;
  server.maxRequestsPerSocket = LIMITS.maxRequestsPerSocket;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const apiRequest = toApiRequest(request);
    let result: ApiResponse;
    try {
      // A web page that rebinds its own name to 127.0.0.1 still sends that name as Host: a
      // loopback-bound server answers only to the names of loopback. Beyond loopback the key,
      // which no page knows, is what keeps requests out.
      if (loopback && !allowedHosts.has(request.headers.host?.toLowerCase() ?? '')) {
        throw new MisdirectedRequestError(request.headers.host);
      }
      // A body on a method the API serves is refused; other methods get their 405 from the router.
      if (hasBody(request) && READ_METHODS.has(apiRequest.method)) {
        throw new RequestBodyNotAllowedError();
      }
      if (expectedKey && apiRequest.method !== 'OPTIONS') checkKey(request, expectedKey);
      if (hasBody(request) && BODY_METHODS.has(apiRequest.method)) {
        apiRequest.body = await readBody(request);
      }
      result = await options.router(apiRequest);
    } catch (error) {
      result = problemResponse(error, { requestId: apiRequest.requestId, path: apiRequest.path });
      Object.assign(result.headers, {
        'x-request-id': apiRequest.requestId,
        'x-content-type-options': 'nosniff',
      });
    }
    // A request body we refused is left unread; closing the connection discards it.
    if (hasBody(request) && !request.readableEnded) result.headers.connection = 'close';
    if (!response.headersSent) {
      if (apiRequest.method !== 'HEAD') {
        result.headers['content-length'] = String(Buffer.byteLength(result.body));
      }
      response.writeHead(result.status, result.headers);
      response.end(result.body);
    }
  }

  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port, host, () => {
      server.off('error', failed);
      listening();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = loopbackHostHeaders(host, port);

  return {
    url: `http://${displayHost(host)}:${port}`,
    close: () =>
      new Promise<void>((closed, failed) => {
        // Requests in flight get a grace period to finish; then their connections are cut.
        const cut = setTimeout(() => server.closeAllConnections(), LIMITS.closeGraceMs);
        server.close((error) => {
          clearTimeout(cut);
          if (error) failed(error);
          else closed();
        });
        server.closeIdleConnections();
      }),
  };
}

function toApiRequest(request: IncomingMessage): ApiRequest {
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(
    queryStart === -1 ? '' : target.slice(queryStart + 1),
  )) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [previous, value].flat();
  }
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: request.method ?? 'GET', path, query, headers, requestId: randomUUID() };
}

/**
 * The Host headers that name this machine's loopback on `port`, the bound address among them
 * (say 127.0.0.2); port 80 may go unwritten.
 */
function loopbackHostHeaders(host: string, port: number): Set<string> {
  const bound = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const names = ['localhost', '127.0.0.1', '[::1]', bound.toLowerCase()];
  return new Set([...names.map((name) => `${name}:${port}`), ...(port === 80 ? names : [])]);
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
  );
}

/**
 * The body as UTF-8 text, refused (413) beyond MAX_BODY_BYTES; the rest is left unread (the
 * connection closes after the answer), so the socket stays up to carry it.
 */
function readBody(request: IncomingMessage): Promise<string> {
  if (Number(request.headers['content-length']) > MAX_BODY_BYTES) {
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off('data', onData);
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

function tooLarge(): RequestBodyNotAllowedError {
  return new RequestBodyNotAllowedError(`the body is over ${MAX_BODY_BYTES} bytes`);
}

function checkKey(request: IncomingMessage, expected: Buffer): void {
  const given = request.headers['x-api-key'];
  if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
    throw new UnauthorizedError('missing or wrong x-api-key header');
  }
}

/** Comparing fixed-length digests keeps the comparison constant-time whatever the key length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function displayHost(host: string): string {
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

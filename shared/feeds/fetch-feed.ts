import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ipLiteralOf, isBlockedAddress } from './address-guard.ts';
import { FeedError } from './feed-error.ts';
import type { FeedValidators } from './feed-poller.ts';
import { FetchTimer } from './fetch-timer.ts';

export const MAX_REDIRECTS = 5;

export interface FetchOptions {
  allowPrivateNetwork: boolean;
  /** Whole request, redirects included, connect to last byte. */
  timeoutMs: number;
  /** Time allowed to open each connection; defaults to the smaller of timeoutMs and 10 s. */
  connectTimeoutMs?: number;
  /** Cap on the decompressed body. */
  maxBodyBytes: number;
  userAgent: string;
  /** Which dialed addresses the guard refuses; tests narrow it to allow exactly their own server. */
  isBlockedAddress?: (address: string) => boolean;
}

export type FetchResult = { status: number; validators: FeedValidators } & (
  | { kind: 'not-modified' }
  | { kind: 'body'; body: Buffer; finalUrl: string; contentType?: string; contentLocation?: string }
);

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Seconds to wait from a Retry-After header (delta seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** DNS lookup that refuses names resolving to blocked addresses: checked on what is dialed. */
function guardedLookup(isBlocked: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(
      hostname,
      { ...options, all: true } as LookupAllOptions,
      (error, addresses: LookupAddress[]) => {
        if (error) {
          callback(error, '', 0);
          return;
        }
        const blocked = addresses.find((entry) => isBlocked(entry.address));
        if (blocked || addresses.length === 0) {
          callback(
            new FeedError(
              'SSRF_BLOCKED',
              `${hostname} resolves to ${blocked?.address ?? 'nothing'}, a non-public address`,
            ),
            '',
            0,
          );
          return;
        }
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
      },
    );
  };
}

function checkTarget(url: URL, options: FetchOptions): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError(
      'UNSUPPORTED_SCHEME',
      `only http and https are fetched, not ${url.protocol}`,
    );
  }
  if (options.allowPrivateNetwork) return;
  const literal = ipLiteralOf(url);
  if (literal !== undefined && (options.isBlockedAddress ?? isBlockedAddress)(literal)) {
    throw new FeedError('SSRF_BLOCKED', `${url.hostname} is a non-public address`);
  }
}

function decompressor(response: IncomingMessage): Readable {
  const encoding = (header(response, 'content-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(zlib.createGunzip());
  if (encoding === 'br') return response.pipe(zlib.createBrotliDecompress());
  // deflate is inflated after reading, since servers send zlib-wrapped and raw deflate alike.
  return response;
}

/**
 * Fetch a feed with conditional GET, a total deadline, a decompressed size cap, at most five
 * redirects and the address guard on every hop. Throws FeedError.
 */
export async function fetchFeed(
  rawUrl: string,
  previous: FeedValidators,
  options: FetchOptions,
): Promise<FetchResult> {
  const timer = new FetchTimer(
    options.timeoutMs,
    options.connectTimeoutMs ?? Math.min(options.timeoutMs, 10_000),
  );
  try {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new FeedError('UNSUPPORTED_SCHEME', `not a URL: ${rawUrl}`);
    }
    for (let redirects = 0; ; redirects++) {
      checkTarget(url, options);
      const response = await request(url, previous, options, timer);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && status !== 304) {
        const location = header(response, 'location');
        discard(response);
        if (!location)
          throw new FeedError('HTTP_STATUS', `HTTP ${status} without a Location`, {
            httpStatus: status,
          });
        if (redirects >= MAX_REDIRECTS) {
          throw new FeedError('TOO_MANY_REDIRECTS', `more than ${MAX_REDIRECTS} redirects`, {
            httpStatus: status,
          });
        }
        try {
          url = new URL(location, url);
        } catch {
          throw new FeedError('HTTP_STATUS', `HTTP ${status} to an unusable Location`, {
            httpStatus: status,
          });
        }
        continue;
      }
      const etag = header(response, 'etag');
      const lastModified = header(response, 'last-modified');
      const validators = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
      if (status === 304) {
        discard(response);
        return { kind: 'not-modified', status, validators };
      }
      if (status < 200 || status > 299) {
        discard(response);
        throw statusError(response, status);
      }
      const contentType = header(response, 'content-type');
      if (contentType && REFUSED_MEDIA_TYPE.test(contentType)) {
        discard(response);
        throw new FeedError(
          'NOT_A_FEED',
          `the server sent ${mediaTypeOf(contentType)}, not a feed`,
          {
            httpStatus: status,
          },
        );
      }
      const body = await readBody(response, options, timer);
      return {
        kind: 'body',
        status,
        validators,
        body,
        finalUrl: url.href,
        contentType,
        contentLocation: header(response, 'content-location'),
      };
    }
  } catch (error) {
    throw asFetchError(error, timer.expired, rawUrl);
  } finally {
    timer.stop();
  }
}

// Media types no feed is ever served as (a feed URL that points at a podcast episode, an image or
// a download). Misconfigured servers send feeds as text/html or application/octet-stream, so
// those are read and judged by their content.
const REFUSED_MEDIA_TYPE = /^\s*(?:(?:image|audio|video|font|model)\/|application\/(?:pdf|zip)\b)/i;

function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Kept-alive sockets waiting in the pool, with the listener that closes them if data arrives. */
const idleGuards = new WeakMap<Socket, () => void>();

/**
 * Let go of a response whose body is not wanted. One that has already ended (a 304, a redirect
 * whose short body came with its headers) is drained, so its kept-alive socket serves the next
 * request; any other is destroyed with its socket, since its body may never end. Nothing may
 * arrive on a pooled socket before it is asked again: a server that keeps sending (after a 304,
 * whose body HTTP skips) has its socket closed, or the pool would read from it for ever.
 */
function discard(response: IncomingMessage): void {
  const socket = response.socket;
  if (!response.complete || !socket) {
    response.destroy();
    return;
  }
  response.once('end', () => {
    if (socket.destroyed) return;
    const stray = (): void => {
      socket.destroy();
    };
    socket.on('data', stray);
    idleGuards.set(socket, stray);
  });
  response.resume();
}

/** A pooled socket taken for a new request is the new response's to read. */
function claim(socket: Socket): void {
  const stray = idleGuards.get(socket);
  if (!stray) return;
  socket.off('data', stray);
  idleGuards.delete(socket);
}

function statusError(response: IncomingMessage, status: number): FeedError {
  const retryAfterSeconds = parseRetryAfter(header(response, 'retry-after'), new Date());
  if (status === 429 || (status === 503 && retryAfterSeconds !== undefined)) {
    return new FeedError('RATE_LIMITED', `HTTP ${status}: the server asks to slow down`, {
      httpStatus: status,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }
  if (status === 410)
    return new FeedError('GONE', 'HTTP 410: the feed is gone', { httpStatus: status });
  return new FeedError('HTTP_STATUS', `HTTP ${status}`, { httpStatus: status });
}

function asFetchError(error: unknown, expired: FeedError | undefined, feedUrl: string): FeedError {
  const chosen = expired ?? error;
  if (chosen instanceof FeedError) {
    if (!chosen.details.feedUrl) chosen.details.feedUrl = feedUrl;
    return chosen;
  }
  const cause = (chosen as { cause?: unknown })?.cause;
  if (cause instanceof FeedError) return cause;
  const code = (chosen as NodeJS.ErrnoException)?.code;
  return new FeedError(
    'NETWORK',
    `${code ? `${code}: ` : ''}${(chosen as Error)?.message ?? String(chosen)}`,
    {
      feedUrl,
      cause: chosen,
    },
  );
}

// Connections are kept alive within a sweep: feeds on one host (often dozens) share one, saving a
// TCP and TLS handshake per poll. Idle sockets close after IDLE_SOCKET_MS, before servers commonly
// drop them. A socket opened without the address guard is never reused by a guarded request.
const IDLE_SOCKET_MS = 4000;
const keptAlive = { keepAlive: true, timeout: IDLE_SOCKET_MS };
const AGENTS = {
  guarded: { http: new http.Agent(keptAlive), https: new https.Agent(keptAlive) },
  open: { http: new http.Agent(keptAlive), https: new https.Agent(keptAlive) },
};
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

function request(
  url: URL,
  validators: FeedValidators,
  options: FetchOptions,
  timer: FetchTimer,
  retried = false,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept: ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const secure = url.protocol === 'https:';
    const agents = options.allowPrivateNetwork ? AGENTS.open : AGENTS.guarded;
    const req = (secure ? https : http).request(url, {
      method: 'GET',
      headers,
      // The retry after a stale kept-alive socket opens a connection of its own.
      agent: retried ? false : secure ? agents.https : agents.http,
      ...(options.allowPrivateNetwork
        ? {}
        : { lookup: guardedLookup(options.isBlockedAddress ?? isBlockedAddress) }),
    });
    timer.startHop(req, url.host);
    req.once('socket', claim);
    req.once('response', resolve);
    req.once('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed meanwhile fails at once, and one it wrote stray
      // bytes to (after a 304) fails to parse: ask again, once, on a connection of its own.
      const stale = error.code === 'ECONNRESET' || error.code?.startsWith('HPE_') === true;
      if (req.reusedSocket && stale && !retried && !timer.expired) {
        resolve(request(url, validators, options, timer, true));
        return;
      }
      reject(error);
    });
    req.end();
  });
}

function readBody(
  response: IncomingMessage,
  options: FetchOptions,
  timer: FetchTimer,
): Promise<Buffer> {
  const declared = Number(header(response, 'content-length'));
  const encoded = (header(response, 'content-encoding') ?? 'identity').toLowerCase();
  if (
    Number.isFinite(declared) &&
    declared > options.maxBodyBytes &&
    (encoded === 'identity' || encoded === '')
  ) {
    response.destroy();
    return Promise.reject(
      new FeedError(
        'TOO_LARGE',
        `the body is ${declared} bytes, over the ${options.maxBodyBytes} byte cap`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const stream = decompressor(response);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      response.destroy();
      stream.destroy();
      reject(error);
    };
    timer.responded(fail);
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBodyBytes) {
        fail(
          new FeedError(
            'TOO_LARGE',
            `the body exceeds the ${options.maxBodyBytes} byte cap (decompressed)`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    stream.once('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      fail(
        code.startsWith('Z_') ||
          code.startsWith('ERR_BROTLI') ||
          code === 'ERR__ERROR_FORMAT_PADDING_1'
          ? new FeedError('DECODE', `the body does not decompress: ${error.message}`, {
              cause: error,
            })
          : error,
      );
    });
    response.once('aborted', () =>
      fail(new FeedError('NETWORK', 'the connection closed before the body ended')),
    );
    stream.once('end', () => {
      if (settled) return;
      settled = true;
      // A body that arrived in one chunk is used as it is, without a copy.
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      try {
        resolve(encoded.trim() === 'deflate' ? inflateEither(body, options.maxBodyBytes) : body);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Inflate a deflate body, zlib-wrapped or raw, without passing the size cap. */
function inflateEither(body: Buffer, maxBodyBytes: number): Buffer {
  if (body.length === 0) return body;
  const wrapped =
    body.length >= 2 &&
    ((body[0] ?? 0) & 0x0f) === 8 &&
    (((body[0] ?? 0) << 8) | (body[1] ?? 0)) % 31 === 0;
  try {
    return wrapped
      ? zlib.inflateSync(body, { maxOutputLength: maxBodyBytes })
      : zlib.inflateRawSync(body, { maxOutputLength: maxBodyBytes });
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
      error instanceof RangeError
    ) {
      throw new FeedError(
        'TOO_LARGE',
        `the body exceeds the ${maxBodyBytes} byte cap (decompressed)`,
      );
    }
    throw new FeedError('DECODE', `the body does not inflate: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FeedTestServer, rssDocument } from './feed-test-server.ts';

/** The ways a hostile server answers with a body that never ends, by path. */
export const ENDLESS = {
  status500: '/endless-500',
  redirect302: '/endless-302',
  notModified304: '/endless-304',
  status404: '/endless-404',
  refusedType: '/endless-image',
  overCap: '/endless-over-cap',
  slowDrip: '/endless-drip',
} as const;

/** Where the endless 302 points: a small valid feed. */
export const REDIRECT_TARGET = '/redirect-target.xml';

const CHUNK = Buffer.alloc(16 * 1024, 'x');

/** Writes to the socket until the client closes it: fast when `fast`, else a chunk every 20 ms. */
function stream(write: (chunk: Buffer) => boolean, socket: Socket, fast: boolean): void {
  if (fast) {
    const pump = (): void => {
      while (!socket.destroyed && write(CHUNK));
    };
    socket.on('drain', pump);
    pump();
    return;
  }
  const timer = setInterval(() => {
    if (!socket.destroyed) write(CHUNK.subarray(0, 256));
  }, 20);
  socket.once('close', () => clearInterval(timer));
}

/**
 * A real HTTP server on 127.0.0.1 that answers each ENDLESS path with a body that never ends,
 * and records when the connection of each request to such a path closes.
 */
export class EndlessServer extends FeedTestServer {
  private readonly closed = new Map<string, Promise<void>>();

  constructor() {
    super();
    const endless = (status: number, headers: Record<string, string>, fast = false) => {
      return (request: IncomingMessage, response: ServerResponse) => {
        response.writeHead(status, headers);
        response.flushHeaders();
        stream((chunk) => response.write(chunk), request.socket, fast);
      };
    };
    this.watch(ENDLESS.status500, endless(500, { 'content-type': 'text/html' }));
    this.watch(
      ENDLESS.redirect302,
      endless(302, { location: REDIRECT_TARGET, 'content-type': 'text/html' }),
    );
    this.watch(ENDLESS.status404, endless(404, { 'content-type': 'text/html' }));
    this.watch(ENDLESS.refusedType, endless(200, { 'content-type': 'image/png' }));
    this.watch(ENDLESS.overCap, endless(200, { 'content-type': 'application/rss+xml' }, true));
    this.watch(ENDLESS.slowDrip, endless(200, { 'content-type': 'application/rss+xml' }));
    // A 304 carries no body, so the server's response object would send none: write the bytes raw.
    this.watch(ENDLESS.notModified304, (request) => {
      const socket = request.socket;
      socket.write('HTTP/1.1 304 Not Modified\r\netag: "e"\r\ntransfer-encoding: chunked\r\n\r\n');
      stream(
        (chunk) => socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`),
        socket,
        false,
      );
    });
    this.serve(REDIRECT_TARGET, rssDocument(['After the redirect']));
  }

  /** Resolves when the connection of the latest request to `path` has closed. */
  closedConnection(path: string): Promise<void> {
    return this.closed.get(path) ?? Promise.reject(new Error(`no request to ${path} yet`));
  }

  private watch(
    path: string,
    handler: (request: IncomingMessage, response: ServerResponse) => void,
  ) {
    this.route(path, (request, response) => {
      this.closed.set(
        path,
        new Promise((resolve) => request.socket.once('close', () => resolve())),
      );
      handler(request, response);
    });
  }
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

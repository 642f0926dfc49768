import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { fetchFeed } from '#shared/feeds/fetch-feed.ts';
import { FeedTestServer, rssDocument } from './feed-test-server.ts';

const OPEN = { allowPrivateNetwork: true, timeoutMs: 2_000, maxBodyBytes: 100_000, userAgent: 't' };
const GUARDED = { ...OPEN, allowPrivateNetwork: false };

describe('kept-alive connections', () => {
  const server = new FeedTestServer();

  beforeAll(async () => {
    await server.start();
    server.serve('/a', rssDocument(['A']));
    server.serve('/b', rssDocument(['B']));
  });
  afterAll(() => server.stop());

  it('polls feeds on one host one after another over one connection', async () => {
    const before = server.connections;

    for (const path of ['/a', '/b', '/a']) {
      expect((await fetchFeed(server.url(path), {}, OPEN)).kind).toBe('body');
    }

    expect(server.connections - before).toBe(1);
  });

  it('never lets a guarded fetch reuse a connection opened without the guard', async () => {
    const url = `http://localhost:${server.port}/a`;
    expect((await fetchFeed(url, {}, OPEN)).kind).toBe('body');

    const refused = await fetchFeed(url, {}, GUARDED).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(FeedError);
    expect((refused as FeedError).code).toBe('SSRF_BLOCKED');
  });
});

describe('a kept-alive connection the server dropped', () => {
  let server: Server;
  let connections = 0;
  const sockets = new Set<Socket>();
  const body = rssDocument(['Kept']);

  beforeAll(async () => {
    // Answers the first request of each connection and resets the connection on its second, as a
    // server that dropped an idle connection the client is about to reuse.
    server = createServer((socket) => {
      connections++;
      sockets.add(socket);
      let requests = 0;
      socket.on('data', (chunk) => {
        if (!chunk.includes('\r\n\r\n')) return;
        requests++;
        if (requests > 1) {
          socket.resetAndDestroy();
          return;
        }
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => {
    connections = 0;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is asked again once on a new connection', async () => {
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/feed`;
    await fetchFeed(url, {}, OPEN);

    const again = await fetchFeed(url, {}, OPEN);

    expect(again.kind).toBe('body');
    expect(connections).toBe(2);
  });
});

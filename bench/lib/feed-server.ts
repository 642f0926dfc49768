/**
 * Helper process for bench-sweep: serves N RSS feeds from several HTTP servers on 127.0.0.1
 * (one port per simulated host), each response after a fixed delay, answering 304 to a matching
 * If-None-Match (the delay can be switched off and on by message, to measure the client's CPU
 * without idle gaps). Counts responses and the most requests any one port had in flight at once,
 * which shows the per-host limit the poller kept. Loopback only; exits with its parent or after
 * its lifetime.
 *
 * Args: <feeds> <hosts> <latencyMs> <lifetimeSeconds>
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exitWithParent } from './child-process.ts';
import { changesAt, loadDocumentSource, rssDocument } from './rss-documents.ts';

const [feeds = 0, hosts = 0, latencyMs = 0, lifetimeSeconds = 0] = process.argv
  .slice(2)
  .map(Number);
if (!(feeds > 0 && hosts > 0 && latencyMs >= 0 && lifetimeSeconds > 0)) {
  throw new Error('usage: feed-server.ts <feeds> <hosts> <latencyMs> <lifetimeSeconds>');
}

const source = loadDocumentSource();
const documents = new Map<number, Buffer>();
/** Bumped by an 'advance' message: the feeds that change get new items and a new ETag. */
let revision = 0;
const revisionOf = new Map<number, number>();
const LAST_MODIFIED = new Date(Date.UTC(2026, 10, 1)).toUTCString();

const emptyStats = () => ({
  ok: 0,
  notModified: 0,
  notFound: 0,
  bodyBytes: 0,
  maxInFlightPerHost: 0,
});
let stats = emptyStats();
const inFlight: number[] = [];
const delayMs = latencyMs;

/** The revision feed `index` last changed at. */
function feedRevision(index: number): number {
  return revisionOf.get(index) ?? 0;
}

function documentOf(index: number): Buffer {
  let body = documents.get(index);
  if (!body) {
    body = Buffer.from(rssDocument(source, index, revision), 'utf8');
    documents.set(index, body);
  }
  return body;
}

function serverFor(slot: number): Server {
  inFlight[slot] = 0;
  return createServer((request, response) => {
    const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
    const index = match ? Number(match[1]) : -1;
    inFlight[slot] = (inFlight[slot] ?? 0) + 1;
    stats.maxInFlightPerHost = Math.max(stats.maxInFlightPerHost, inFlight[slot] ?? 0);
    setTimeout(() => {
      inFlight[slot] = (inFlight[slot] ?? 1) - 1;
      if (index < 0 || index >= feeds) {
        stats.notFound++;
        response.writeHead(404).end();
        return;
      }
      const etag = `"feed-${index}-r${feedRevision(index)}"`;
      if (request.headers['if-none-match'] === etag) {
        stats.notModified++;
        response.writeHead(304, { etag, 'last-modified': LAST_MODIFIED }).end();
        return;
      }
      const body = documentOf(index);
      stats.ok++;
      stats.bodyBytes += body.length;
      response
        .writeHead(200, {
          'content-type': 'application/rss+xml; charset=utf-8',
          'content-length': body.length,
          etag,
          'last-modified': LAST_MODIFIED,
        })
        .end(body);
    }, delayMs);
  });
}

const servers = Array.from({ length: hosts }, (_, slot) => serverFor(slot));
const ports = await Promise.all(
  servers.map(
    (server) =>
      new Promise<number>((done) =>
        server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
      ),
  ),
);

exitWithParent(lifetimeSeconds * 1000, () => {
  for (const server of servers) server.close();
});
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats')
    process.send?.({ type: 'stats', ...stats, documentsBuilt: documents.size });
  if (message?.type === 'advance') {
    revision++;
    for (let index = 0; index < feeds; index++) {
      if (changesAt(index, revision)) {
        revisionOf.set(index, revision);
        documents.delete(index);
      }
    }
    process.send?.({ type: 'advance', revision });
  }
  if (message?.type === 'reset') {
    stats = emptyStats();
    process.send?.({ type: 'reset' });
  }
});
process.send?.({ type: 'ready', ports, source: source.kind, sourceItems: source.items.length });

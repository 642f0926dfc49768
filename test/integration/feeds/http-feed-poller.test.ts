import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import type { PollResult } from '#shared/feeds/feed-poller.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { FeedTestServer, rssDocument } from './feed-test-server.ts';

const server = new FeedTestServer();
const poller = createFeedPoller({
  allowPrivateNetwork: true,
  timeoutMs: 2_000,
  maxBodyBytes: 1_000_000,
  perHostConcurrency: 2,
});

beforeAll(() => server.start());
afterAll(() => server.stop());

function poll(path: string, previous = {}, unconditional = false): Promise<PollResult> {
  return poller.poll({ feed: { url: server.url(path), tags: [] }, previous, unconditional });
}

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

function parsed(result: PollResult): Extract<PollResult, { kind: 'parsed' }> {
  if (result.kind !== 'parsed') throw new Error(`expected a parsed result, got ${result.kind}`);
  return result;
}

describe('conditional GET', () => {
  it('returns the validators of a first fetch with its items', async () => {
    server.route('/etag', (request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      response
        .writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 06 May 2024 10:00:00 GMT' })
        .end(rssDocument(['First story']));
    });

    const first = parsed(await poll('/etag'));

    expect(first.items.map((item) => item.title)).toEqual(['First story']);
    expect(first.validators).toMatchObject({
      etag: '"v1"',
      lastModified: 'Mon, 06 May 2024 10:00:00 GMT',
    });
    expect(first.validators.bodyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends the saved validators and reports not-modified on 304 without parsing', async () => {
    const first = parsed(await poll('/etag'));

    const second = await poll('/etag', first.validators);

    expect(second).toEqual({ kind: 'not-modified', httpStatus: 304, validators: first.validators });
    const last = server.requestsTo('/etag').at(-1);
    expect(last?.headers['if-none-match']).toBe('"v1"');
    expect(last?.headers['if-modified-since']).toBe('Mon, 06 May 2024 10:00:00 GMT');
  });

  it('keeps a new ETag that arrives with a 304', async () => {
    server.route('/rotating-etag', (_request, response) => {
      response.writeHead(304, { etag: '"v2"' }).end();
    });

    const result = await poll('/rotating-etag', { etag: '"v1"', bodyHash: 'abc' });

    expect(result.validators).toEqual({ etag: '"v2"', bodyHash: 'abc' });
  });

  it('reports not-modified when a server without 304 sends the same bytes again', async () => {
    server.serve('/no-304', rssDocument(['Same story']));
    const first = parsed(await poll('/no-304'));

    const second = await poll('/no-304', first.validators);

    expect(second.kind).toBe('not-modified');
    expect(second.validators.bodyHash).toBe(first.validators.bodyHash);
  });

  it('ignores validators and the body hash when asked for an unconditional fetch', async () => {
    server.serve('/unconditional', rssDocument(['Again']), { etag: '"same"' });
    const first = parsed(await poll('/unconditional'));

    const second = await poll('/unconditional', first.validators, true);

    expect(second.kind).toBe('parsed');
    expect(server.requestsTo('/unconditional').at(-1)?.headers['if-none-match']).toBeUndefined();
  });
});

describe('compressed bodies', () => {
  const document = rssDocument(['Compressed story']);

  it.each([
    ['gzip', gzipSync(document)],
    ['deflate', deflateSync(document)],
    ['raw deflate', deflateRawSync(document)],
    ['br', brotliCompressSync(document)],
  ])('decodes a %s body', async (name, body) => {
    const path = `/compressed-${name.replace(' ', '-')}`;
    server.serve(path, body, { 'content-encoding': name === 'raw deflate' ? 'deflate' : name });

    const result = parsed(await poll(path));

    expect(result.items[0]?.title).toBe('Compressed story');
  });

  it('stops a gzip bomb at the decompressed size cap', async () => {
    const bomb = gzipSync(Buffer.alloc(50_000_000, 0x20));
    server.serve('/bomb', bomb, { 'content-encoding': 'gzip' });

    const error = await failure(poll('/bomb'));

    expect(error.code).toBe('TOO_LARGE');
  });

  it('stops a brotli bomb at the decompressed size cap', async () => {
    const bomb = brotliCompressSync(Buffer.alloc(50_000_000, 0x20));
    server.serve('/brotli-bomb', bomb, { 'content-encoding': 'br' });

    const error = await failure(poll('/brotli-bomb'));

    expect(error.code).toBe('TOO_LARGE');
  });

  it('stops a deflate bomb at the decompressed size cap', async () => {
    server.serve('/deflate-bomb', deflateSync(Buffer.alloc(50_000_000, 0x20)), {
      'content-encoding': 'deflate',
    });

    const error = await failure(poll('/deflate-bomb'));

    expect(error.code).toBe('TOO_LARGE');
  });

  it('refuses a plain body over the cap', async () => {
    server.serve('/huge', Buffer.alloc(1_500_000, 0x20));

    const error = await failure(poll('/huge'));

    expect(error.code).toBe('TOO_LARGE');
  });
});

describe('deadlines', () => {
  it('cuts a slow-drip body at the total deadline', async () => {
    server.route('/drip', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.write('<rss><channel>');
      const timer = setInterval(() => response.write(' '), 100);
      response.once('close', () => clearInterval(timer));
    });

    const error = await failure(poll('/drip'));

    expect(error.code).toBe('TIMEOUT');
  });

  it('gives up on a server that never answers', async () => {
    server.route('/stall', () => {
      // Never respond.
    });

    const error = await failure(poll('/stall'));

    expect(error.code).toBe('TIMEOUT');
  });
});

describe('redirects', () => {
  it('follows up to five redirects', async () => {
    for (let hop = 0; hop < 5; hop++) {
      server.route(`/hop-${hop}`, (_request, response) => {
        response.writeHead(301, { location: hop === 4 ? '/hop-end' : `/hop-${hop + 1}` }).end();
      });
    }
    server.serve('/hop-end', rssDocument(['Arrived']));

    const result = parsed(await poll('/hop-0'));

    expect(result.items[0]?.title).toBe('Arrived');
  });

  it('fails a redirect loop with TOO_MANY_REDIRECTS', async () => {
    server.route('/loop', (_request, response) => {
      response.writeHead(302, { location: '/loop' }).end();
    });

    const error = await failure(poll('/loop'));

    expect(error.code).toBe('TOO_MANY_REDIRECTS');
  });

  it('refuses a redirect to a scheme other than http or https', async () => {
    server.route('/to-file', (_request, response) => {
      response.writeHead(302, { location: 'file:///etc/passwd' }).end();
    });

    const error = await failure(poll('/to-file'));

    expect(error.code).toBe('UNSUPPORTED_SCHEME');
  });

  it('resolves relative links against the final URL after redirects', async () => {
    server.route('/moved', (_request, response) => {
      response.writeHead(301, { location: '/new/feed.xml' }).end();
    });
    server.serve(
      '/new/feed.xml',
      '<rss><channel><item><title>Relative</title><link>story.html</link></item></channel></rss>',
    );

    const result = parsed(await poll('/moved'));

    expect(result.items[0]?.link).toBe(server.url('/new/story.html'));
  });
});

describe('status codes', () => {
  it('maps 429 with Retry-After in seconds to RATE_LIMITED', async () => {
    server.route('/429', (_request, response) => {
      response.writeHead(429, { 'retry-after': '120' }).end();
    });

    const error = await failure(poll('/429'));

    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(120);
    expect(error.details.httpStatus).toBe(429);
  });

  it('maps 503 with Retry-After as an HTTP date to RATE_LIMITED', async () => {
    server.route('/503', (_request, response) => {
      response
        .writeHead(503, { 'retry-after': new Date(Date.now() + 600_000).toUTCString() })
        .end();
    });

    const error = await failure(poll('/503'));

    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBeGreaterThan(500);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(600);
  });

  it('maps 410 to GONE', async () => {
    server.route('/410', (_request, response) => {
      response.writeHead(410).end();
    });

    expect((await failure(poll('/410'))).code).toBe('GONE');
  });

  it('maps other failures to HTTP_STATUS with the status', async () => {
    server.route('/500', (_request, response) => {
      response.writeHead(500).end('oops');
    });

    const error = await failure(poll('/500'));

    expect(error.code).toBe('HTTP_STATUS');
    expect(error.details.httpStatus).toBe(500);
  });

  it('maps a refused connection to NETWORK', async () => {
    const closed = new FeedTestServer();
    await closed.start();
    const url = closed.url('/feed');
    await closed.stop();

    const error = await failure(poller.poll({ feed: { url, tags: [] }, previous: {} }));

    expect(error.code).toBe('NETWORK');
  });
});

describe('documents', () => {
  it('fails an HTML page with NOT_A_FEED', async () => {
    server.serve(
      '/page',
      '<!DOCTYPE html><html><head><title>Moved</title></head><body>Hi</body></html>',
      {
        'content-type': 'text/html',
      },
    );

    expect((await failure(poll('/page'))).code).toBe('NOT_A_FEED');
  });

  it('fails an empty body with NOT_A_FEED', async () => {
    server.serve('/empty', '');

    expect((await failure(poll('/empty'))).code).toBe('NOT_A_FEED');
  });

  it('keeps the complete items of a truncated document and says so', async () => {
    const whole = rssDocument(['One', 'Two', 'Three']);
    server.serve('/truncated', whole.slice(0, whole.indexOf('Three') + 3));

    const result = parsed(await poll('/truncated'));

    expect(result.items.map((item) => item.title)).toEqual(['One', 'Two']);
    expect(result.warnings.join(' ')).toMatch(/truncated/);
  });

  it('fails a document truncated before any item with MALFORMED_XML', async () => {
    server.serve('/cut-early', '<?xml version="1.0"?><rss><channel><title>Cut');

    expect((await failure(poll('/cut-early'))).code).toBe('MALFORMED_XML');
  });

  it('sends an honest User-Agent', async () => {
    server.serve('/ua', rssDocument(['UA']));

    await poll('/ua');

    expect(server.requestsTo('/ua').at(-1)?.headers['user-agent']).toMatch(
      /^newswatch\/\d+\.\d+\.\d+ \(\+https:\/\//,
    );
  });
});

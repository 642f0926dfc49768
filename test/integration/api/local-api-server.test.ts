import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import { type LocalApiServer, startLocalApiServer } from '#shared/api/local-api-server.ts';
import { FeedStateSchema } from '#shared/store/feed-state-schema.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { SAMPLE_PROFILE } from '../../fixtures/api/api-test-data.ts';
import { documentedResponseSchema } from '../../fixtures/api/openapi-validator.ts';
import { openTestTable, type TestTable } from '../support/dynamo-table.ts';
import { expectedIds, matchSet, storeMatches } from './api-fixtures.ts';

const MATCH_COUNT = 150;

let table: TestTable;
let closeTable: (() => Promise<void>) | undefined;
let server: LocalApiServer;
let matches: Match[];

beforeAll(async () => {
  ({ table, close: closeTable } = await openTestTable('api'));
  const store = table.store({ cursorSecret: 'integration-secret' });
  matches = matchSet(MATCH_COUNT);
  await storeMatches(store, matches);
  await store.putFeedStates([
    {
      feedId: 'feed-1',
      url: 'https://news.example.com/rss.xml',
      name: 'Example Wire',
      status: 'failing',
      lastFetchAt: '2026-01-01T00:00:00.000Z',
      lastErrorCode: 'timeout',
      lastError: 'no answer within 20 s',
      consecutiveFailures: 2,
      fetchCount: 9,
      notModifiedCount: 3,
      errorCount: 2,
      itemsSeen: 120,
      matchesFound: 14,
      etag: '"v1"',
      seenItems: 'AAAAAAAABBBBBBBB',
    },
    // The state a removed feed left behind: not in the list, so not listed.
    FeedStateSchema.parse({
      feedId: 'feed-gone',
      url: 'https://gone.example.com/rss.xml',
      name: 'Gone Gazette',
    }),
  ]);
  await store.seedFeedList([
    {
      feedId: 'feed-1',
      url: 'https://news.example.com/rss.xml',
      name: 'Example Wire',
      tags: ['wire'],
      addedAt: '2026-01-01T00:00:00.000Z',
    },
    {
      feedId: 'feed-2',
      url: 'https://quiet.example.com/atom.xml',
      name: 'Quiet Herald',
      tags: [],
      addedAt: '2026-01-01T00:00:00.000Z',
    },
  ]);
  const router = createApiRouter({ store, profile: () => SAMPLE_PROFILE });
  server = await startLocalApiServer({ router, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await closeTable?.();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted on as free-form JSON
type Json = any;

async function get(path: string): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${server.url}${path}`);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** Follows nextCursor to the end; fails rather than loop when a page repeats a cursor. */
async function allPages(query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const separator = query ? '&' : '';
    const path = `/matches?${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await get(path);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    ids.push(...page.body.items.map((item: { id: string }) => item.id));
    cursor = page.body.nextCursor;
    pages++;
    if (cursor) {
      expect(cursors.has(cursor)).toBe(false);
      cursors.add(cursor);
    }
  } while (cursor && pages < 200);
  return { ids, pages };
}

describe('the local API server over HTTP', () => {
  it('reports a localhost URL on the port it bound', () => {
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
  });

  it('pages through every match newest first, none lost and none repeated', async () => {
    const { ids, pages } = await allPages('limit=13');

    expect(pages).toBeGreaterThanOrEqual(Math.ceil(MATCH_COUNT / 13));
    expect(ids).toEqual(expectedIds(matches, () => true));
  });

  it('pages through a filtered listing with the filter kept on every page', async () => {
    const { ids } = await allPages('facet=sanctions&minScore=0.7&limit=4');

    expect(ids).toEqual(
      expectedIds(matches, (match) => match.facets.includes('sanctions') && match.score >= 0.7),
    );
    expect(ids.length).toBeGreaterThan(4);
  });

  it('filters by language, alone and with a facet', async () => {
    const chinese = await allPages('lang=zh&limit=7');
    const chineseSanctions = await allPages('lang=zh&facet=sanctions&limit=3');

    expect(chinese.ids).toEqual(expectedIds(matches, (match) => match.lang === 'zh'));
    expect(chinese.ids.length).toBeGreaterThan(7);
    expect(chineseSanctions.ids).toEqual(
      expectedIds(matches, (match) => match.lang === 'zh' && match.facets.includes('sanctions')),
    );
  });

  it('filters by time window', async () => {
    const newest = matches[10]?.storedAt as string;
    const oldest = matches[30]?.storedAt as string;

    const { ids } = await allPages(`since=${oldest}&until=${newest}&limit=100`);

    expect(ids).toEqual(
      expectedIds(matches, (match) => match.storedAt >= oldest && match.storedAt <= newest),
    );
    expect(ids).toHaveLength(21);
  });

  it('filters by outlet', async () => {
    const { ids } = await allPages(`feed=${encodeURIComponent('Daily Ledger')}&limit=100`);

    expect(ids).toEqual(expectedIds(matches, (match) => match.feed === 'Daily Ledger'));
  });

  it('filters by words in the title', async () => {
    const { ids } = await allPages('q=pipeline%20DEAL&limit=100');

    expect(ids).toEqual(expectedIds(matches, (match) => match.title.startsWith('Pipeline deal')));
  });

  it('returns one match with its explanation and the outlets that also reported its story', async () => {
    const { status, body } = await get('/matches/match-00000');

    expect(status).toBe(200);
    expect(body.explanation).toEqual(matches[0]?.explanation);
    expect(body.alsoReportedBy).toEqual([
      expect.objectContaining({ matchId: 'match-00001', feed: 'Daily Ledger' }),
    ]);
  });

  it('lists the feeds of the feed list with their health, without validators or item digests', async () => {
    const { body } = await get('/feeds');

    expect(body.items).toEqual([
      expect.objectContaining({
        name: 'Example Wire',
        tags: ['wire'],
        status: 'failing',
        lastErrorCode: 'timeout',
        consecutiveFailures: 2,
        itemsSeen: 120,
      }),
      expect.objectContaining({ name: 'Quiet Herald', status: 'new', fetchCount: 0 }),
    ]);
    for (const internal of ['etag', 'seenItems']) {
      expect(body.items[0]).not.toHaveProperty(internal);
    }
  });

  it('serves the profile and its version', async () => {
    const { body } = await get('/profile');

    expect(body.version).toBe(SAMPLE_PROFILE.version);
  });
});

describe('the local API server refusing bad requests', () => {
  it.each([
    ['/matches?limit=1000', 'limit'],
    ['/matches?since=last-week', 'since'],
    ['/matches?minScore=2', 'minScore'],
    ['/matches?sort=asc', 'sort'],
    ['/matches?q=a&q=b', 'q'],
    ['/feeds?page=2', 'page'],
  ])('answers %s with 400 naming %s', async (path, parameter) => {
    const response = await get(path);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ parameter })]);
  });

  it('answers a forged cursor with 400 naming the cursor', async () => {
    const first = await get('/matches?limit=5');
    const cursor = first.body.nextCursor as string;
    const [payload, signature] = cursor.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload as string, 'base64url').toString()),
        m: '2001-01',
      }),
    ).toString('base64url');

    const response = await get(`/matches?limit=5&cursor=${forgedPayload}.${signature}`);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ parameter: 'cursor' })]);
  });

  it('answers a cursor reused with other filters with 400 naming the cursor', async () => {
    const first = await get('/matches?limit=5');

    const response = await get(`/matches?limit=5&facet=trade&cursor=${first.body.nextCursor}`);

    expect(response.status).toBe(400);
    expect(response.body.errors[0].parameter).toBe('cursor');
  });

  it('answers an unknown match id with 404', async () => {
    expect((await get('/matches/no-such-match')).status).toBe(404);
  });

  it('answers an unknown route with 404', async () => {
    expect((await get('/no-such-route')).status).toBe(404);
  });

  it('answers another method with 405 and the methods allowed', async () => {
    const response = await fetch(`${server.url}/matches`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers a GET that carries a body with 413 and closes the connection', async () => {
    const { status, headers } = await rawRequest({
      method: 'GET',
      path: '/matches',
      body: 'x'.repeat(10),
    });

    expect(status).toBe(413);
    expect(headers.connection).toBe('close');
  });

  it('reads the JSON body of a feedback POST and keeps the connection', async () => {
    const response = await rawRequest({
      method: 'POST',
      path: '/matches/match-00003/feedback',
      body: JSON.stringify({ grade: 2, note: 'core' }),
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status, response.body).toBe(201);
    expect(response.headers.connection).not.toBe('close');
    expect(JSON.parse(response.body)).toMatchObject({ id: 'match-00003', grade: 2 });
    const listed = await get('/feedback');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual(['match-00003']);
  });

  it('refuses a POST body over its size with 413 without reading it all', async () => {
    const response = await rawRequest({
      method: 'POST',
      path: '/feedback',
      body: JSON.stringify({ url: 'https://news.example/a', grade: 1, title: 'x'.repeat(270_000) }),
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).detail).toContain('over 262144 bytes');
  });
});

describe('the local API server editing the feed list', () => {
  const post = (body: string, contentType = 'application/json') =>
    rawRequest({
      method: 'POST',
      path: '/feeds',
      body,
      headers: { 'content-type': contentType },
    }).then((response) => ({ ...response, json: JSON.parse(response.body) }));

  it('adds a feed (201), which GET /feeds then lists, and refuses it again with 409', async () => {
    const added = await post(
      JSON.stringify({ url: 'https://wire.example.net/feed.xml', name: '  Wire\u0007 Net ' }),
    );
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      url: 'https://wire.example.net/feed.xml',
      name: 'Wire Net',
      status: 'new',
      tags: [],
    });
    expect((await get('/feeds')).body.items.map((item: { name: string }) => item.name)).toEqual([
      'Example Wire',
      'Quiet Herald',
      'Wire Net',
    ]);

    const again = await post(
      JSON.stringify({ url: 'https://WIRE.example.net/feed.xml?utm_source=rss' }),
    );
    expect(again.status).toBe(409);
    expect(again.json.detail).toContain(added.json.feedId);
  });

  it('removes a feed by id (204), then answers 404 for it', async () => {
    const first = await rawRequest({ method: 'DELETE', path: '/feeds/feed-2' });
    const second = await rawRequest({ method: 'DELETE', path: '/feeds/feed-2' });

    expect(first.status).toBe(204);
    expect(first.body).toBe('');
    expect(second.status).toBe(404);
    const names = (await get('/feeds')).body.items.map((item: { name: string }) => item.name);
    expect(names).not.toContain('Quiet Herald');
  });

  it.each([
    ['{"url": "ftp://files.example.com/feed"}', 'url'],
    ['{"url": "http://127.0.0.1:8080/feed"}', 'url'],
    ['{"url": "https://ok.example.com/f", "tags": "not-a-list"}', 'tags'],
    ['{"url": "https://ok.example.com/f", "owner": "me"}', 'owner'],
    ['{"url": ', 'body'],
    ['[]', 'body'],
  ])('answers %s with 400 naming %s', async (body, parameter) => {
    const response = await post(body);

    expect(response.status).toBe(400);
    expect(response.json.errors[0].parameter).toBe(parameter);
  });

  it('refuses a body that is not application/json with 415, as a cross-site form would send it', async () => {
    const response = await post('{"url": "https://ok.example.com/f"}', 'text/plain');

    expect(response.status).toBe(415);
  });

  it('refuses a body over 256 KiB with 413', async () => {
    const response = await post(
      JSON.stringify({ url: `https://ok.example.com/${'x'.repeat(270_000)}` }),
    );

    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
  });
});

describe('the local API server against DNS rebinding', () => {
  it.each([
    'attacker.example',
    'attacker.example:PORT',
    'localhost.attacker.example:PORT',
    '127.0.0.1.nip.io:PORT',
    'localhost:1',
  ])('answers Host %s with 421 and no data', async (host) => {
    const response = await rawRequest({
      method: 'GET',
      path: '/matches',
      headers: { host: host.replace('PORT', new URL(server.url).port) },
    });

    expect(response.status).toBe(421);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body).detail).toMatch(/answers only to localhost/);
    expect(response.body).not.toContain('match-');
  });

  it.each(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST'])(
    'serves Host %s on its own port',
    async (name) => {
      const response = await rawRequest({
        method: 'GET',
        path: '/matches?limit=1',
        headers: { host: `${name}:${new URL(server.url).port}` },
      });

      expect(response.status).toBe(200);
    },
  );

  it('bound to another loopback address, answers to that address', async () => {
    const router = createApiRouter({ store: table.store(), profile: () => SAMPLE_PROFILE });
    const other = await startLocalApiServer({ router, port: 0, host: '127.0.0.2' });
    try {
      const port = new URL(other.url).port;
      const response = await fetch(`http://127.0.0.2:${port}/profile`);

      expect(response.status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses to bind beyond loopback without a key, saying why', async () => {
    const router = createApiRouter({ store: table.store(), profile: () => SAMPLE_PROFILE });

    await expect(startLocalApiServer({ router, port: 0, host: '0.0.0.0' })).rejects.toThrow(
      /refusing to serve on 0\.0\.0\.0 without an API key/,
    );
  });
});

describe('the local API server with a key', () => {
  let keyed: LocalApiServer;

  beforeAll(async () => {
    const router = createApiRouter({
      store: table.store(),
      profile: () => SAMPLE_PROFILE,
      corsOrigins: ['https://app.example.org'],
    });
    keyed = await startLocalApiServer({ router, port: 0, apiKey: 'local-secret' });
  });
  afterAll(async () => keyed?.close());

  it('answers a request without the key with 401', async () => {
    const response = await fetch(`${keyed.url}/profile`);

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers a request with a wrong key with 401', async () => {
    const response = await fetch(`${keyed.url}/profile`, { headers: { 'x-api-key': 'guess' } });

    expect(response.status).toBe(401);
  });

  it('answers a CORS preflight without the key, since browsers send none with it', async () => {
    const response = await fetch(`${keyed.url}/matches`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'GET' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-api-key');
  });

  it('serves a request with the key', async () => {
    const response = await fetch(`${keyed.url}/profile`, {
      headers: { 'x-api-key': 'local-secret' },
    });

    expect(response.status).toBe(200);
  });
});

describe('responses over HTTP against the served OpenAPI document', () => {
  it.each([
    ['/matches', '/matches?limit=3', 200, 'application/json'],
    ['/matches/{id}', '/matches/match-00000', 200, 'application/json'],
    ['/feeds', '/feeds', 200, 'application/json'],
    ['/profile', '/profile', 200, 'application/json'],
    ['/matches', '/matches?limit=0', 400, 'application/problem+json'],
    ['/matches/{id}', '/matches/none', 404, 'application/problem+json'],
    ['/stories', '/stories?limit=3', 200, 'application/json'],
    ['/stories/{id}', '/stories/none', 404, 'application/problem+json'],
    ['/volume', '/volume?days=3&interval=hour', 200, 'application/json'],
    ['/volume', '/volume?days=30&interval=hour', 400, 'application/problem+json'],
    ['/alerts', '/alerts?days=2', 200, 'application/json'],
  ])('%s answers %s as documented', async (template, path, status, contentType) => {
    const document = (await get('/openapi.json')).body;

    const response = await get(path);

    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')?.split(';')[0]).toBe(contentType);
    const schema = documentedResponseSchema(document, template, status, contentType);
    expect(schema.safeParse(response.body).error).toBeUndefined();
  });
});

/** A request fetch would not send (a GET with a body, a forged Host), over a raw connection. */
function rawRequest(options: {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  to?: LocalApiServer;
}): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  const url = new URL(options.path, (options.to ?? server).url);
  return new Promise((done, fail) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: url.port,
        method: options.method,
        path: `${url.pathname}${url.search}`,
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': Buffer.byteLength(options.body) }),
          ...options.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          done({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', fail);
    request.end(options.body);
  });
}

import { describe, expect, it } from 'vitest';
import { SAMPLE_PROFILE, sampleFeedState, sampleMatch } from '../../fixtures/api/api-test-data.ts';
import { json, routerHarness } from './router-harness.ts';

describe('api router', () => {
  it('lists the page the store returns, in its order, without the score explanation', async () => {
    const page = { items: [sampleMatch(2), sampleMatch(1)] };
    const api = routerHarness({ page });

    const response = await api.get('/matches');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const items = json(response).items as Record<string, unknown>[];
    expect(items.map((item) => item.id)).toEqual(['match-00002', 'match-00001']);
    expect(items[0]).not.toHaveProperty('explanation');
    expect(items[0]).toMatchObject({
      title: page.items[0]?.title,
      link: page.items[0]?.link,
      feed: 'Example Wire',
      published: page.items[0]?.published,
      score: 0.8,
      facets: ['trade'],
      terms: ['energy', 'trade talks'],
      storyId: 'story-2',
      alsoReportedBy: [],
      alerted: false,
    });
  });

  it('passes the next cursor through when more matches follow', async () => {
    const api = routerHarness({ page: { items: [sampleMatch(1)], nextCursor: 'next-page' } });

    const response = await api.get('/matches');

    expect(json(response).nextCursor).toBe('next-page');
  });

  it('returns one match with the explanation of its score', async () => {
    const match = sampleMatch(7);
    const api = routerHarness({ matches: [match] });

    const response = await api.get('/matches/match-00007');

    expect(response.status).toBe(200);
    expect(json(response)).toEqual(match);
  });

  it('decodes a percent-encoded match id before looking it up', async () => {
    const match = sampleMatch(1, { id: 'feed/item 1' });
    const api = routerHarness({ matches: [match] });

    const response = await api.get('/matches/feed%2Fitem%201');

    expect(json(response).id).toBe('feed/item 1');
  });

  it('answers 404 naming the id when no match has it', async () => {
    const api = routerHarness({ matches: [] });

    const response = await api.get('/matches/missing-id');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(json(response)).toMatchObject({ status: 404, detail: 'no match with id "missing-id"' });
  });

  it('answers 404 for an unknown route and lists the routes there are', async () => {
    const api = routerHarness();

    const response = await api.get('/match');

    expect(response.status).toBe(404);
    expect(json(response).detail).toContain(
      '/matches, /matches/{id}, /feeds, /feeds/{id}, /profile',
    );
  });

  it('treats a trailing slash as another path', async () => {
    const api = routerHarness();

    const response = await api.get('/matches/');

    expect(response.status).toBe(404);
  });

  it('answers 405 with an Allow header for a method the API does not serve', async () => {
    const api = routerHarness();

    const response = await api.call({ method: 'DELETE', path: '/matches' });

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(json(response).detail).toContain('DELETE');
  });

  it('answers HEAD like GET but without a body', async () => {
    const api = routerHarness({ page: { items: [sampleMatch(1)] } });

    const response = await api.call({ method: 'HEAD', path: '/matches' });

    expect(response.status).toBe(200);
    expect(response.body).toBe('');
  });

  it('answers OPTIONS on a route with the methods it allows', async () => {
    const api = routerHarness();

    const matches = await api.call({ method: 'OPTIONS', path: '/matches' });
    const feeds = await api.call({ method: 'OPTIONS', path: '/feeds' });
    const feed = await api.call({ method: 'OPTIONS', path: '/feeds/abc' });

    expect(matches.status).toBe(204);
    expect(matches.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(feeds.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    expect(feed.headers.allow).toBe('DELETE, OPTIONS');
  });

  it('lists feeds by name with their health but without the caching validators', async () => {
    const api = routerHarness({
      feeds: [
        sampleFeedState('Zeta News', 'https://z.example/rss'),
        sampleFeedState(undefined, 'https://a.example/rss'),
        sampleFeedState('Beta Times', 'https://b.example/rss'),
      ],
    });

    const response = await api.get('/feeds');

    const items = json(response).items as Record<string, unknown>[];
    expect(items.map((item) => item.name ?? item.url)).toEqual([
      'Beta Times',
      'https://a.example/rss',
      'Zeta News',
    ]);
    expect(items[0]).toMatchObject({
      status: 'ok',
      lastFetchAt: '2026-01-01T00:00:00.000Z',
      itemsSeen: 42,
    });
    expect(items[0]).not.toHaveProperty('etag');
    expect(items[0]).not.toHaveProperty('bodyHash');
  });

  it('serves the profile in use with its version', async () => {
    const api = routerHarness();

    const response = await api.get('/profile');

    expect(json(response)).toEqual(SAMPLE_PROFILE);
  });

  it('serves the OpenAPI document', async () => {
    const api = routerHarness();

    const response = await api.get('/openapi.json');

    expect(response.status).toBe(200);
    expect(json(response).openapi).toBe('3.1.0');
  });

  it('sets the request id on successes and problems alike', async () => {
    const api = routerHarness();

    const ok = await api.get('/feeds');
    const missing = await api.get('/nowhere');

    expect(ok.headers['x-request-id']).toBe('req-test-1');
    expect(missing.headers['x-request-id']).toBe('req-test-1');
    expect(json(missing).requestId).toBe('req-test-1');
  });

  it('answers a generic 500 when the store fails, and logs the detail instead of returning it', async () => {
    const api = routerHarness({ storeError: new Error('connect ECONNREFUSED 10.0.0.7:8000') });

    const response = await api.get('/matches');

    expect(response.status).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(json(response).detail).toContain('req-test-1');
    expect(api.logged).toEqual([
      expect.objectContaining({
        requestId: 'req-test-1',
        error: expect.objectContaining({ message: 'connect ECONNREFUSED 10.0.0.7:8000' }),
      }),
    ]);
  });

  it('answers 500 when the profile in use has no version, rather than serve a broken document', async () => {
    const api = routerHarness({ profile: { facets: [] } });

    const response = await api.get('/profile');

    expect(response.status).toBe(500);
  });
});

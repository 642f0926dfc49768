import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import type { ApiResponse } from '#shared/api/api-types.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { SAMPLE_PROFILE, sampleMatch } from '../../fixtures/api/api-test-data.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

/** The store's clock and the grader's, a day after the sample matches were stored. */
const START = Date.UTC(2026, 0, 2, 9, 0, 0);

describe.each(BACKENDS)('feedback through the API on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  let clock = START;
  let post: (path: string, body: unknown, contentType?: string) => Promise<ApiResponse>;
  let get: (path: string, query?: Record<string, string>) => Promise<ApiResponse>;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    store = table.store({ now: () => new Date(START) });
    await store.storeMatches(
      [1, 2, 3].map((n) =>
        sampleMatch(n, { lang: 'en', profileVersion: `profile-v${n}`, score: 0.5 + n / 10 }),
      ),
      [],
      [],
    );
    const router = createApiRouter({
      store,
      profile: () => SAMPLE_PROFILE,
      now: () => new Date(clock),
    });
    post = (path, body, contentType = 'application/json') =>
      router({
        method: 'POST',
        path,
        query: {},
        headers: { 'Content-Type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        requestId: 'r',
      });
    get = (path, query = {}) => router({ method: 'GET', path, query, headers: {}, requestId: 'r' });
  });
  afterAll(async () => close());

  it('stores a first grade with the match text and the profile that scored it (201)', async () => {
    clock = START + 1000;
    const response = await post('/matches/match-00001/feedback', {
      grade: 1,
      note: '  close\u0007 call  ',
    });
    expect(response.status).toBe(201);
    const feedback = JSON.parse(response.body);
    expect(feedback).toMatchObject({
      id: 'match-00001',
      kind: 'match',
      grade: 1,
      note: 'close call',
      gradedAt: new Date(START + 1000).toISOString(),
      history: [],
      title: 'Ministers meet for trade talks, round 1',
      summary: 'Officials discussed energy supplies and payments.',
      feed: 'Example Wire',
      lang: 'en',
      profileVersion: 'profile-v1',
      score: 0.6,
    });
    expect(await store.getFeedback('match-00001')).toEqual(feedback);
  });

  it('lets the last grade win and keeps the earlier one with its time (200)', async () => {
    clock = START + 2000;
    const response = await post('/matches/match-00001/feedback', { grade: 2 });
    expect(response.status).toBe(200);
    const feedback = JSON.parse(response.body);
    expect(feedback.grade).toBe(2);
    expect(feedback.note).toBeUndefined();
    expect(feedback.history).toEqual([
      { grade: 1, note: 'close call', gradedAt: new Date(START + 1000).toISOString() },
    ]);
  });

  it('changes nothing when the same grade comes again', async () => {
    clock = START + 3000;
    const response = await post('/matches/match-00001/feedback', { grade: 2 });
    expect(response.status).toBe(200);
    const stored = await store.getFeedback('match-00001');
    expect(stored?.gradedAt).toBe(new Date(START + 2000).toISOString());
    expect(stored?.history).toHaveLength(1);
  });

  it('keeps every grade when two graders race on one match', async () => {
    clock = START + 4000;
    const answers = await Promise.all(
      [0, 1, 2, 1].map((grade) => post('/matches/match-00002/feedback', { grade })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
    const stored = await store.getFeedback('match-00002');
    // Each write either landed on top of the one before or found it equal and changed nothing.
    expect((stored?.history.length ?? 0) + 1).toBeLessThanOrEqual(4);
    expect(stored?.history.length).toBeGreaterThanOrEqual(1);
  });

  it('answers 404 for a match it does not hold', async () => {
    const response = await post('/matches/match-99999/feedback', { grade: 1 });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).detail).toContain('match-99999');
  });

  it('answers 400 naming the field for a bad grade, an unknown field or a missing body', async () => {
    const bad = await post('/matches/match-00003/feedback', { grade: 3 });
    expect(bad.status).toBe(400);
    expect(
      JSON.parse(bad.body).errors.map((error: { parameter: string }) => error.parameter),
    ).toEqual(['grade']);
    const unknown = await post('/matches/match-00003/feedback', { grade: 1, score: 1 });
    expect(JSON.parse(unknown.body).errors).toEqual([
      { parameter: 'score', message: 'unknown field' },
    ]);
    const broken = await post('/matches/match-00003/feedback', '{"grade":');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).errors[0].parameter).toBe('body');
    expect(await store.getFeedback('match-00003')).toBeUndefined();
  });

  it('refuses a body that is not JSON by type (415), as a cross-site form would send it', async () => {
    const response = await post('/matches/match-00003/feedback', { grade: 1 }, 'text/plain');
    expect(response.status).toBe(415);
    expect(await store.getFeedback('match-00003')).toBeUndefined();
  });

  it('answers 405 for a method the path does not take, listing those it does', async () => {
    const router = createApiRouter({ store, profile: () => SAMPLE_PROFILE });
    const response = await router({
      method: 'GET',
      path: '/matches/match-00001/feedback',
      query: {},
      headers: {},
      requestId: 'r',
    });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST, OPTIONS');
  });

  it('stores a reported miss with its cleaned text under the id its link gives', async () => {
    clock = START + 5000;
    const response = await post('/feedback', {
      url: 'https://www.news.example/economy/russian-oil?utm_source=x',
      grade: 1,
      title: 'Russian oil\u202e exports  fall',
      summary: 'Gas bans bite.',
    });
    expect(response.status).toBe(201);
    const feedback = JSON.parse(response.body);
    expect(feedback).toMatchObject({
      kind: 'miss',
      grade: 1,
      title: 'Russian oil exports fall',
      link: 'https://www.news.example/economy/russian-oil',
      feed: 'www.news.example',
      profileVersion: SAMPLE_PROFILE.version,
    });
    expect(feedback.id).toMatch(/^[0-9a-f]{32}$/);
    const again = await post('/feedback', {
      url: 'https://news.example/economy/russian-oil/',
      grade: 2,
      title: 'Russian oil exports fall',
    });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body).id).toBe(feedback.id);
  });

  it('refuses a miss graded 0 and a link that is not http(s)', async () => {
    const zero = await post('/feedback', { url: 'https://news.example/a', grade: 0, title: 'A' });
    expect(JSON.parse(zero.body).errors[0].parameter).toBe('grade');
    const scheme = await post('/feedback', { url: 'file:///etc/passwd', grade: 1, title: 'A' });
    expect(JSON.parse(scheme.body).errors[0].parameter).toBe('url');
  });

  it('lists every graded item in bounded pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await get('/feedback', { limit: '1', ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      const page = JSON.parse(response.body);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toContain('match-00001');
    expect(seen).toContain('match-00002');
  });

  it('refuses a forged cursor and a limit out of bounds', async () => {
    expect((await get('/feedback', { cursor: '../../etc' })).status).toBe(400);
    const over = await get('/feedback', { limit: '201' });
    expect(JSON.parse(over.body).errors[0].parameter).toBe('limit');
  });
});

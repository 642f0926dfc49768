import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCH_PAGE_LIMIT } from '#shared/api/api-schemas.ts';
import { MatchQuerySchema } from '#shared/store/match-schema.ts';
import { json, routerHarness } from './router-harness.ts';

interface ParameterError {
  parameter: string;
  message: string;
}

function errorsOf(body: Record<string, unknown>): ParameterError[] {
  return body.errors as ParameterError[];
}

describe('GET /matches parameter validation', () => {
  it('asks the store for 25 matches when no limit is given', async () => {
    const api = routerHarness();

    await api.get('/matches');

    expect(api.queries).toEqual([{ limit: 25 }]);
  });

  it('accepts exactly the page sizes the store accepts, with the same default', () => {
    const store = (limit?: number) => MatchQuerySchema.safeParse({ limit });

    expect(store(MATCH_PAGE_LIMIT.min).success).toBe(true);
    expect(store(MATCH_PAGE_LIMIT.max).success).toBe(true);
    expect(store(MATCH_PAGE_LIMIT.min - 1).success).toBe(false);
    expect(store(MATCH_PAGE_LIMIT.max + 1).success).toBe(false);
    expect(store().data?.limit).toBe(MATCH_PAGE_LIMIT.default);
  });

  it('hands every filter to the store, typed and normalized', async () => {
    const api = routerHarness();

    await api.get('/matches', {
      since: '2026-01-01T10:00:00+02:00',
      until: '2026-02-01T00:00:00Z',
      facet: 'trade',
      minScore: '0.6',
      feed: 'Example Wire',
      q: '  energy talks ',
      limit: '50',
      cursor: 'abc',
    });

    expect(api.queries).toEqual([
      {
        since: '2026-01-01T08:00:00.000Z',
        until: '2026-02-01T00:00:00.000Z',
        facet: 'trade',
        minScore: 0.6,
        feed: 'Example Wire',
        q: 'energy talks',
        limit: 50,
        cursor: 'abc',
      },
    ]);
  });

  it('reads a date without a time as midnight UTC', async () => {
    const api = routerHarness();

    await api.get('/matches', { since: '2026-03-05' });

    expect(api.queries[0]?.since).toBe('2026-03-05T00:00:00.000Z');
  });

  it.each([
    ['since', 'yesterday', /ISO 8601/],
    ['since', '2026-01-01T10:00:00', /ISO 8601/],
    ['until', '2026-13-01', /ISO 8601/],
    ['minScore', 'high', /number from 0 to 1/],
    ['minScore', '1.5', /number from 0 to 1/],
    ['minScore', '-0.1', /number from 0 to 1/],
    ['limit', '0', /whole number from 1 to 100/],
    ['limit', '101', /whole number from 1 to 100/],
    ['limit', '2.5', /whole number from 1 to 100/],
    ['limit', 'ten', /whole number from 1 to 100/],
    ['facet', '', /must not be empty/],
    ['feed', '   ', /must not be empty/],
    ['q', 'x'.repeat(201), /at most 200 characters/],
    ['cursor', 'c'.repeat(2049), /at most 2048 characters/],
  ])('refuses %s=%s with a 400 problem naming the parameter', async (parameter, value, message) => {
    const api = routerHarness();

    const response = await api.get('/matches', { [parameter]: value });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    const body = json(response);
    expect(body).toMatchObject({
      type: 'tag:newswatch,2026:problem:invalid-parameter',
      title: 'Invalid request parameter',
      status: 400,
    });
    expect(errorsOf(body)).toEqual([{ parameter, message: expect.stringMatching(message) }]);
    expect(body.detail).toContain(parameter);
    expect(api.queries).toEqual([]);
  });

  it('refuses an until earlier than since, naming until', async () => {
    const api = routerHarness();

    const response = await api.get('/matches', { since: '2026-02-01', until: '2026-01-01' });

    expect(response.status).toBe(400);
    expect(errorsOf(json(response))).toEqual([
      { parameter: 'until', message: 'must not be earlier than since' },
    ]);
  });

  it('refuses an unknown parameter and lists the ones it takes', async () => {
    const api = routerHarness();

    const response = await api.get('/matches', { min_score: '0.5' });

    expect(response.status).toBe(400);
    expect(errorsOf(json(response))).toEqual([
      {
        parameter: 'min_score',
        message:
          'unknown parameter; this route takes since, until, facet, minScore, feed, q, lang, limit, cursor',
      },
    ]);
  });

  it('refuses a parameter given twice', async () => {
    const api = routerHarness();

    const response = await api.get('/matches', { facet: ['trade', 'energy'] });

    expect(response.status).toBe(400);
    expect(errorsOf(json(response))).toEqual([
      { parameter: 'facet', message: 'given more than once; give it once' },
    ]);
  });

  it('reports every bad parameter of a request at once', async () => {
    const api = routerHarness();

    const response = await api.get('/matches', { limit: '0', minScore: 'x', colour: 'red' });

    expect(
      errorsOf(json(response))
        .map((error) => error.parameter)
        .sort(),
    ).toEqual(['colour', 'limit', 'minScore']);
  });
});

describe('parameters of the other routes', () => {
  it('refuses any query parameter on a route that takes none', async () => {
    const api = routerHarness();

    const response = await api.get('/feeds', { verbose: '1' });

    expect(response.status).toBe(400);
    expect(errorsOf(json(response))).toEqual([
      { parameter: 'verbose', message: 'unknown parameter; this route takes none' },
    ]);
  });

  it('refuses a match id longer than 512 characters', async () => {
    const api = routerHarness();

    const response = await api.get(`/matches/${'a'.repeat(513)}`);

    expect(response.status).toBe(400);
    expect(errorsOf(json(response))[0]?.parameter).toBe('id');
  });

  it('refuses a match id that is not valid percent-encoding', async () => {
    const api = routerHarness();

    const response = await api.get('/matches/%E0%A4%A');

    expect(response.status).toBe(400);
    expect(errorsOf(json(response))).toEqual([
      { parameter: 'id', message: 'is not valid percent-encoding' },
    ]);
  });
});

describe('GET /matches on arbitrary query strings', () => {
  const names = fc.constantFrom(
    'since',
    'until',
    'facet',
    'minScore',
    'feed',
    'q',
    'limit',
    'cursor',
    'x',
  );
  const values = fc.oneof(
    fc.string(),
    fc.constantFrom(
      '0',
      '1',
      '0.5',
      '100',
      '101',
      '-1',
      '1e-1',
      '2026-01-01',
      '2026-01-01T00:00:00Z',
    ),
    fc.array(fc.string(), { minLength: 2, maxLength: 3 }),
  );

  it('answers 200 with a valid store query or 400 naming only parameters that were given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(names, values, { maxKeys: 5 }), async (query) => {
        const api = routerHarness();

        const response = await api.get('/matches', query);

        if (response.status === 200) {
          expect(api.queries).toHaveLength(1);
          expect(MatchQuerySchema.safeParse(api.queries[0]).success).toBe(true);
        } else {
          expect(response.status).toBe(400);
          const parameters = errorsOf(json(response)).map((error) => error.parameter);
          expect(parameters.length).toBeGreaterThan(0);
          for (const parameter of parameters) expect(Object.keys(query)).toContain(parameter);
        }
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Match, MatchQuery } from '#shared/store/match-schema.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const DAY_MS = 86_400_000;
const TODAY = Date.parse(new Date().toISOString().slice(0, 10));
const FACETS = ['alpha', 'beta', 'gamma'];
const FEEDS = ['Outlet A', 'Outlet B'];
const WORDS = ['pipeline', 'summit', 'tariff'];

/** Forty matches over about four months, with facets, outlets, scores and words spread out. */
const DATA: Match[] = Array.from({ length: 40 }, (_, index) =>
  aMatch({
    id: `p${String(index).padStart(2, '0')}`,
    storedAt: new Date(TODAY - 120 * DAY_MS + index * 2.9 * DAY_MS).toISOString(),
    facets: FACETS.filter((_, facet) => (index + facet) % (facet + 2) === 0),
    feed: FEEDS[index % 2] ?? 'Outlet A',
    score: ((index * 7) % 10) / 10,
    title: `Headline ${index} ${WORDS[index % 3]}`,
    summary: index % 4 === 0 ? `About the ${WORDS[(index + 1) % 3]}` : 'Nothing to add.',
  }),
);

/** What a query should return, computed from the data in memory. */
function expected(query: Partial<MatchQuery>): string[] {
  return DATA.filter((match) => {
    if (query.facet && !match.facets.includes(query.facet)) return false;
    if (query.feed && match.feed !== query.feed) return false;
    if (query.minScore !== undefined && match.score < query.minScore) return false;
    if (query.since && match.storedAt < query.since) return false;
    if (query.until && match.storedAt > query.until) return false;
    const text = `${match.title}\n${match.summary}`.toLowerCase();
    return !query.q || text.includes(query.q);
  })
    .sort((a, b) => (a.storedAt < b.storedAt ? 1 : -1))
    .map((match) => match.id);
}

const queryArbitrary = fc.record(
  {
    facet: fc.constantFrom(...FACETS),
    feed: fc.constantFrom(...FEEDS),
    minScore: fc.constantFrom(0.3, 0.5, 0.8),
    q: fc.constantFrom(...WORDS),
    since: fc.integer({ min: 0, max: 39 }).map((index) => DATA[index]?.storedAt ?? ''),
    until: fc.integer({ min: 0, max: 39 }).map((index) => DATA[index]?.storedAt ?? ''),
  },
  { requiredKeys: [] },
);

describe.each(BACKENDS)('match pagination on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let queriesSent = 0;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queriesSent++;
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );
    const store = table.store();
    for (const match of DATA) await store.storeMatches([match], [], []);
  });
  afterAll(async () => close());

  it('returns every match of any query exactly once, in order, across pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        queryArbitrary,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 12 }),
        async (query, limit, pageItems) => {
          const store = table.store({
            cursorSecret: 'p',
            pageBudget: { items: pageItems, queries: 4 },
          });
          const since = query.since ?? new Date(TODAY - 130 * DAY_MS).toISOString();
          const ids: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 200; page++) {
            queriesSent = 0;
            const result = await store.listMatches({ ...query, since, limit, cursor });
            // At most `queries` bucket queries, whatever the table holds.
            expect(queriesSent).toBeLessThanOrEqual(4);
            expect(result.items.length).toBeLessThanOrEqual(limit);
            ids.push(...result.items.map((match) => match.id));
            cursor = result.nextCursor;
            if (!cursor) break;
          }
          expect(cursor).toBeUndefined();
          expect(ids).toEqual(expected({ ...query, since }));
        },
      ),
      { numRuns: 25 },
    );
  });
});

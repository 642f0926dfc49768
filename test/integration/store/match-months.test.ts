import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const DAY_MS = 86_400_000;
// DynamoDB Local really expires items by TTL, so test data lives within the retention of today;
// the middle of this month keeps the two newest matches in one month whatever the day.
const TODAY = new Date();
const NOW = Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), 15, 12);
const RETENTION_DAYS = 300;

/** Matches with whole empty months between them, the oldest near the end of the retention. */
const DATA = [1, 2, 100, 101, 280].map((daysAgo) =>
  aMatch({
    id: `d${String(daysAgo).padStart(3, '0')}`,
    storedAt: new Date(NOW - daysAgo * DAY_MS).toISOString(),
    storyId: 'story-d001',
    facets: ['rare'],
  }),
);
const NEWEST_FIRST = DATA.map((match) => match.id);
const now = () => new Date(NOW);

describe.each(BACKENDS)('month buckets of the match listing on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  const sent: string[] = [];

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const store = table.store({ matchRetentionDays: RETENTION_DAYS, now });
    for (const match of DATA) await store.storeMatches([match], [], []);
  });
  afterAll(async () => close());

  it('lists every match across months that hold none, back to the retention, without since', async () => {
    const store = table.store({ matchRetentionDays: RETENTION_DAYS, now });

    for (const query of [{}, { facet: 'rare' }]) {
      const page = await store.listMatches({ limit: 10, ...query });

      expect(page.items.map((match) => match.id)).toEqual(NEWEST_FIRST);
      expect(page.nextCursor).toBeUndefined();
    }
  });

  // A text filter makes each query read ahead, so the walk sees where a month's items end.
  it('pages across the empty months with nothing lost or repeated, and no empty last page', async () => {
    const store = table.store({ matchRetentionDays: RETENTION_DAYS, now, cursorSecret: 's' });
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await store.listMatches({ limit: 1, q: 'headline', cursor });
      pages.push(result.items.map((match) => match.id));
      cursor = result.nextCursor;
      if (!cursor) break;
    }

    expect(pages).toEqual(NEWEST_FIRST.map((id) => [id]));
  });

  it('gives a page filled by the oldest match no cursor', async () => {
    const store = table.store({ matchRetentionDays: RETENTION_DAYS, now });

    const page = await store.listMatches({ limit: DATA.length, q: 'headline' });

    expect(page.items).toHaveLength(DATA.length);
    expect(page.nextCursor).toBeUndefined();
  });

  it('reaches no further back than the retention of the reader', async () => {
    const store = table.store({ matchRetentionDays: 200, now });

    const page = await store.listMatches({ limit: 10 });

    expect(page.items.map((match) => match.id)).toEqual(NEWEST_FIRST.slice(0, 4));
  });

  it('reads a page the newest month fills with one query and one read of its stories', async () => {
    const store = table.store({ matchRetentionDays: RETENTION_DAYS, now });
    // Its first page also reads where the matches start, once (match-start.test.ts).
    await store.listMatches({ limit: 2 });
    sent.length = 0;

    await store.listMatches({ limit: 2 });

    expect(sent).toEqual(['QueryCommand', 'BatchGetItemCommand']);
  });
});

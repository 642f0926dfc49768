import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY } from '#shared/store/dynamodb-keys.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const DAY_MS = 86_400_000;
// DynamoDB Local really expires items by TTL, so test data lives within the retention of today;
// the middle of this month keeps "1 day ago" in this month whatever the day.
const TODAY = new Date();
const NOW = Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), 15, 12);
const now = () => new Date(NOW);
const RETENTION_DAYS = 365;

function storedDaysAgo(id: string, daysAgo: number): Match {
  return aMatch({ id, storedAt: new Date(NOW - daysAgo * DAY_MS).toISOString() });
}

describe.each(BACKENDS)('the earliest month a match was stored in, on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  const sent: string[] = [];
  const store = () => table.store({ matchRetentionDays: RETENTION_DAYS, now, cursorSecret: 's' });
  const startMonth = async () => {
    const { Item } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: KEY.matchStart(), ConsistentRead: true }),
    );
    return Item?.month as string | undefined;
  };

  beforeEach(async () => {
    ({ table, close } = await backend.open());
    sent.length = 0;
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  });
  afterEach(async () => close());

  it('reads a young table for a page this month cannot fill with one query, not one a month', async () => {
    await store().storeMatches([storedDaysAgo('young', 1)], [], []);
    const reader = store();

    for (const query of [{ feed: 'Another Outlet' }, { q: 'absent-word' }]) {
      sent.length = 0;
      const page = await reader.listMatches({ limit: 25, ...query });

      expect(page.items).toEqual([]);
      expect(sent.filter((command) => command === 'QueryCommand')).toHaveLength(1);
    }
  });

  it('reads the start once per reader and then trusts it', async () => {
    await store().storeMatches([storedDaysAgo('young', 1)], [], []);
    const reader = store();

    await reader.listMatches({ limit: 2 });
    sent.length = 0;
    await reader.listMatches({ limit: 2 });

    expect(sent).toEqual(['QueryCommand', 'BatchGetItemCommand']);
  });

  it('still lists old matches of a table whose matches were written without a start', async () => {
    await store().storeMatches([storedDaysAgo('old', 200), storedDaysAgo('new', 1)], [], []);
    await table.documentClient.send(
      new DeleteCommand({ TableName: table.tableName, Key: KEY.matchStart() }),
    );

    const before = await store().listMatches({ limit: 10 });
    // The first writer that finds no start looks for the oldest month holding a match.
    await store().storeMatches([storedDaysAgo('newest', 0)], [], []);
    const after = await store().listMatches({ limit: 10 });

    expect(before.items.map((match) => match.id)).toEqual(['new', 'old']);
    expect(after.items.map((match) => match.id)).toEqual(['newest', 'new', 'old']);
  });

  it('keeps the earliest month whatever order and whichever writer stores the matches', async () => {
    const first = store();
    const second = store();

    await first.storeMatches([storedDaysAgo('a', 40)], [], []);
    await second.storeMatches([storedDaysAgo('b', 100)], [], []);
    // `first` knows of no start before 40 days ago: its write is refused, not applied.
    await first.storeMatches([storedDaysAgo('c', 70)], [], []);
    await second.storeMatches([storedDaysAgo('d', 1)], [], []);

    expect(await startMonth()).toBe(new Date(NOW - 100 * DAY_MS).toISOString().slice(0, 7));
    expect((await first.listMatches({ limit: 10 })).items.map((match) => match.id)).toEqual([
      'd',
      'a',
      'c',
      'b',
    ]);
  });

  it('lists an older match its own store writes after the start was read', async () => {
    const own = store();
    await own.storeMatches([storedDaysAgo('recent', 1)], [], []);
    await own.listMatches({ limit: 10 });

    await own.storeMatches([storedDaysAgo('older', 150)], [], []);
    const page = await own.listMatches({ limit: 10 });
    const volume = await own.matchVolume({
      since: new Date(NOW - 200 * DAY_MS).toISOString(),
      until: new Date(NOW).toISOString(),
      interval: 'day',
      facets: [],
    });

    expect(page.items.map((match) => match.id)).toEqual(['recent', 'older']);
    expect(volume.buckets.reduce((sum, bucket) => sum + bucket.matches, 0)).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

describe.each(BACKENDS)('match store on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    store = table.store({ now: () => new Date('2026-11-02T00:00:00.000Z') });
  });
  afterAll(async () => close());

  it('stores a match once and reports the second put as existing', async () => {
    const match = aMatch({ id: 'once' });

    const first = await store.putMatch(match);
    const second = await store.putMatch({ ...match, title: 'changed' });

    expect([first, second]).toEqual(['created', 'exists']);
    expect((await store.getMatch('once'))?.title).toBe(match.title);
  });
});

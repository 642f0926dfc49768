import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { FeedState } from '#shared/store/feed-state-schema.ts';
import { stateOf } from '../../fixtures/store/feed-state-helpers.ts';
import { markSeen, unseenOf } from '../../fixtures/store/ledger-helpers.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const NOW = new Date();

function aFeedState(feedId: string, overrides: Partial<FeedState> = {}): FeedState {
  return {
    feedId,
    url: `https://news.example/${feedId}.xml`,
    status: 'ok',
    consecutiveFailures: 0,
    fetchCount: 3,
    notModifiedCount: 1,
    errorCount: 0,
    itemsSeen: 12,
    matchesFound: 2,
    ...overrides,
  };
}

describe.each(BACKENDS)('seen ledger and feed state on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    store = table.store({ ledgerRetentionDays: 30, now: () => NOW });
  });
  afterAll(async () => close());

  it('reports as unseen the items none of whose keys were marked seen', async () => {
    await markSeen(store, [{ itemId: 'seen-1', keys: ['url:a', 'guid:a'] }]);

    const unseen = await unseenOf(store, [
      { itemId: 'same-url', keys: ['url:a'] },
      { itemId: 'same-guid', keys: ['url:other', 'guid:a'] },
      { itemId: 'new', keys: ['url:b', 'guid:b'] },
    ]);

    expect([...unseen]).toEqual(['new']);
  });

  it('marks a batch whose entries share keys', async () => {
    await markSeen(store, [
      { itemId: 'one', keys: ['shared-key', 'own-1'] },
      { itemId: 'two', keys: ['shared-key', 'own-2'] },
    ]);

    const unseen = await unseenOf(store, [
      { itemId: 'one', keys: ['own-1'] },
      { itemId: 'two', keys: ['own-2'] },
    ]);

    expect(unseen.size).toBe(0);
  });

  it('handles more keys than one batch request takes', async () => {
    const entries = Array.from({ length: 140 }, (_, index) => ({
      itemId: `bulk-${index}`,
      keys: [`bulk-url-${index}`, `bulk-guid-${index}`],
    }));
    await markSeen(store, entries.slice(0, 70));

    const unseen = await unseenOf(store, entries);

    expect(unseen).toEqual(new Set(entries.slice(70).map((entry) => entry.itemId)));
  });

  it('keeps dedupe keys of any length', async () => {
    const longKey = `url:https://news.example/${'a'.repeat(3000)}`;
    await markSeen(store, [{ itemId: 'long', keys: [longKey] }]);

    expect((await unseenOf(store, [{ itemId: 'long', keys: [longKey] }])).size).toBe(0);
  });

  it('answers an empty ledger query without error', async () => {
    await markSeen(store, []);

    expect((await unseenOf(store, [])).size).toBe(0);
  });

  it('sets the TTL attribute of a ledger entry to now plus the ledger retention', async () => {
    await markSeen(store, [{ itemId: 'ttl', keys: ['ttl-key'] }]);
    const unseen = await unseenOf(store, [{ itemId: 'ttl', keys: ['ttl-key'] }]);
    const later = table.store({ now: () => new Date(NOW.getTime() + 31 * 86_400_000) });

    expect(unseen.size).toBe(0);
    expect((await unseenOf(later, [{ itemId: 'ttl', keys: ['ttl-key'] }])).size).toBe(1);
  });

  it('stores the TTL of ledger entries in epoch seconds', async () => {
    const before = await unseenOf(store, [{ itemId: 'x', keys: ['epoch-key'] }]);
    await markSeen(store, [{ itemId: 'x', keys: ['epoch-key'] }]);
    const { createHash } = await import('node:crypto');
    const pk = `SEEN#${createHash('sha256').update('epoch-key').digest('base64url')}`;

    const { Item } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk, sk: 'SEEN' } }),
    );

    expect(before.size).toBe(1);
    expect(Item?.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + 30 * 86_400);
  });

  it('reads back the feed state it stored', async () => {
    const state = aFeedState('feed-a', { etag: '"v1"', lastFetchAt: NOW.toISOString() });
    await store.putFeedStates([state]);

    expect(await stateOf(store, 'feed-a')).toEqual(state);
  });

  it('answers undefined for a feed it never polled', async () => {
    expect(await stateOf(store, 'never')).toBeUndefined();
  });

  it('replaces a feed state on each put', async () => {
    await store.putFeedStates([aFeedState('feed-b', { status: 'ok' })]);
    await store.putFeedStates([
      aFeedState('feed-b', { status: 'failing', consecutiveFailures: 1 }),
    ]);

    expect(await stateOf(store, 'feed-b')).toMatchObject({
      status: 'failing',
      consecutiveFailures: 1,
    });
  });

  it('lists every feed state, over more than one query page', async () => {
    const big = 'x'.repeat(20_000);
    const ids = Array.from({ length: 70 }, (_, index) => `list-${String(index).padStart(2, '0')}`);
    for (const feedId of ids) await store.putFeedStates([aFeedState(feedId, { lastError: big })]);

    const listed = await store.listFeedStates();

    expect(listed.map((state) => state.feedId).filter((id) => id.startsWith('list-'))).toEqual(ids);
  });
});

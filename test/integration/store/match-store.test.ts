import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMatchImage } from '#shared/store/dynamodb-match-codec.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { Match, MatchQuery } from '#shared/store/match-schema.ts';
import { ALERT_STREAM_FILTER } from '#shared/store/table-design.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const DAY_SECONDS = 86_400;

/** Every page of a query, following nextCursor until it is absent. */
async function allPages(
  store: DynamoDbStore,
  query: Partial<MatchQuery>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.listMatches({ limit: 25, since: TIMELINE_START, ...query, cursor });
    ids.push(...page.items.map((match) => match.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 200);
  return { ids, pages };
}

const DAY_MS = DAY_SECONDS * 1000;
// DynamoDB Local really expires items by TTL, so test data lives within the retention of today.
const TODAY = Date.parse(new Date().toISOString().slice(0, 10));
const TIMELINE_START = new Date(TODAY - 100 * DAY_MS).toISOString();
/** Matches outside the timeline (idempotency, stories, races) are stored before it. */
const BEFORE_TIMELINE = new Date(TODAY - 150 * DAY_MS).toISOString();
const RETENTION_DAYS = 200;

/** Twenty-four matches over three to four months, one every 3.75 days, newest last. */
function timeline(): Match[] {
  return Array.from({ length: 24 }, (_, index) => {
    const storedAt = new Date(Date.parse(TIMELINE_START) + index * 3.75 * DAY_MS);
    return aMatch({
      id: `t${String(index).padStart(2, '0')}`,
      storedAt: storedAt.toISOString(),
      feed: index % 3 === 0 ? 'Outlet Three' : 'Outlet Other',
      facets: index % 2 === 0 ? ['even', 'all'] : ['odd', 'all'],
      score: (index % 10) / 10,
      title: index === 7 ? 'Ministers meet at the Summit' : `Routine headline ${index}`,
      summary: index === 11 ? 'Talks ended at the summit with a pipeline deal.' : 'Nothing much.',
      lang: index % 4 === 0 ? 'ru' : 'en',
    });
  });
}

describe.each(BACKENDS)('match store on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  const matches = timeline();
  const newestFirst = [...matches].reverse().map((match) => match.id);

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    store = table.store({ cursorSecret: 'test-secret', matchRetentionDays: RETENTION_DAYS });
    for (const match of matches) await store.storeMatches([match], [], []);
  });
  afterAll(async () => close());

  it('finds a stored match on the next check, so a repeat poll does not store it again', async () => {
    const match = aMatch({ id: 'once', storedAt: BEFORE_TIMELINE });
    const entry = { itemId: 'once', keys: ['url:once'] };

    const before = await store.checkNewMatches([entry]);
    await store.storeMatches([match], [], [entry]);
    const after = await store.checkNewMatches([entry]);

    expect([...before.fresh]).toEqual(['once']);
    expect(after).toEqual({ fresh: new Set(), unfinished: [] });
    expect((await store.getMatch('once'))?.title).toBe(match.title);
  });

  it('keeps the score, explanation, profile version and story of a match', async () => {
    const stored = await store.getMatch('t05');

    expect(stored).toEqual({ ...matches[5], alsoReportedBy: [] });
  });

  it('answers undefined for a match it never stored', async () => {
    expect(await store.getMatch('no-such-match')).toBeUndefined();
  });

  it('sets the TTL attribute of a match to its stored time plus the match retention', async () => {
    const { Item } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: 'MATCH#t00', sk: 'MATCH' } }),
    );

    const storedAtSeconds = Date.parse(matches[0]?.storedAt ?? '') / 1000;
    expect(Item?.expiresAt).toBe(storedAtSeconds + RETENTION_DAYS * DAY_SECONDS);
  });

  it('treats a match past its retention as gone, whether or not the backend deleted it yet', async () => {
    const later = table.store({
      matchRetentionDays: RETENTION_DAYS,
      now: () => new Date(TODAY + (RETENTION_DAYS + 1) * DAY_MS),
    });

    const page = await later.listMatches({ since: TIMELINE_START, limit: 50 });

    expect(await later.getMatch('t00')).toBeUndefined();
    expect(page.items.map((match) => match.id)).not.toContain('t00');
  });

  it('lists matches newest first across month buckets', async () => {
    const page = await store.listMatches({ limit: 5, since: TIMELINE_START });

    expect(page.items.map((match) => match.id)).toEqual(newestFirst.slice(0, 5));
  });

  it('pages through every match with no item lost or repeated', async () => {
    const { ids, pages } = await allPages(store, { limit: 4 });

    expect(ids).toEqual(newestFirst);
    expect(pages).toBeGreaterThanOrEqual(6);
  });

  it('keeps to the since and until bounds, both inclusive', async () => {
    const since = matches[4]?.storedAt;
    const until = matches[9]?.storedAt;

    const { ids } = await allPages(store, { since, until, limit: 2 });

    expect(ids).toEqual(['t09', 't08', 't07', 't06', 't05', 't04']);
  });

  it('lists one facet from its own index, newest first, across pages', async () => {
    const { ids } = await allPages(store, { facet: 'odd', limit: 5 });

    expect(ids).toEqual(newestFirst.filter((id) => Number(id.slice(1)) % 2 === 1));
  });

  it('lists one outlet from its own index', async () => {
    const { ids } = await allPages(store, { feed: 'Outlet Three', limit: 3 });

    expect(ids).toEqual(newestFirst.filter((id) => Number(id.slice(1)) % 3 === 0));
  });

  it('combines a facet with an outlet and a minimum score', async () => {
    const { ids } = await allPages(store, {
      facet: 'even',
      feed: 'Outlet Three',
      minScore: 0.5,
      limit: 2,
    });

    expect(ids).toEqual(['t18', 't06']);
  });

  it('keeps matches at or above the minimum score', async () => {
    const { ids } = await allPages(store, { minScore: 0.9, limit: 10 });

    expect(ids).toEqual(['t19', 't09']);
  });

  it('lists the matches of one language, from the time index and from a facet index', async () => {
    const russian = newestFirst.filter((id) => Number(id.slice(1)) % 4 === 0);

    expect((await allPages(store, { lang: 'ru', limit: 4 })).ids).toEqual(russian);
    expect((await allPages(store, { lang: 'ru', facet: 'even', limit: 4 })).ids).toEqual(russian);
    expect((await allPages(store, { lang: 'ru', facet: 'odd', limit: 4 })).ids).toEqual([]);
  });

  it('finds the words of q in the title or the summary, ignoring case', async () => {
    const { ids } = await allPages(store, { q: 'SUMMIT', limit: 10 });

    expect(ids).toEqual(['t11', 't07']);
  });

  it('needs every word of q to be present', async () => {
    const { ids } = await allPages(store, { q: 'summit pipeline', limit: 10 });

    expect(ids).toEqual(['t11']);
  });

  it('returns a cursor when the page read budget runs out before the page is full', async () => {
    const frugal = table.store({ cursorSecret: 'test-secret', pageBudget: { items: 5 } });

    const page = await frugal.listMatches({ q: 'pipeline', limit: 10 });

    expect(page.items).toEqual([]);
    expect(page.nextCursor).toBeDefined();
  });

  it('finds a filtered match through budget-bounded pages', async () => {
    const frugal = table.store({ cursorSecret: 'test-secret', pageBudget: { items: 5 } });

    const { ids, pages } = await allPages(frugal, { q: 'pipeline', limit: 10 });

    expect(ids).toEqual(['t11']);
    expect(pages).toBeGreaterThan(3);
  });

  it('pages with a small budget lose and repeat nothing', async () => {
    const frugal = table.store({ pageBudget: { items: 3, queries: 3 } });

    const { ids } = await allPages(frugal, { facet: 'all', limit: 2 });

    expect(ids).toEqual(newestFirst);
  });

  it('fills alsoReportedBy with the other members of the story', async () => {
    const members = ['a', 'b', 'c'].map((suffix) =>
      aMatch({
        id: `story-${suffix}`,
        storyId: 'shared-story',
        feed: `Outlet ${suffix}`,
        storedAt: BEFORE_TIMELINE,
      }),
    );
    for (const member of members) {
      await store.storeMatches([member], [], []);
      await store.addStoryMember({
        storyId: 'shared-story',
        matchId: member.id,
        feed: member.feed,
        title: member.title,
        link: member.link,
        signature: 'ab12',
        storedAt: member.storedAt,
      });
    }

    const single = await store.getMatch('story-b');
    const page = await store.listMatches({
      since: BEFORE_TIMELINE,
      until: BEFORE_TIMELINE,
      limit: 3,
    });

    expect(single?.alsoReportedBy.map((member) => member.matchId)).toEqual(['story-a', 'story-c']);
    expect(page.items.map((match) => match.alsoReportedBy.length)).toEqual([2, 2, 2]);
    expect(page.items[0]?.alsoReportedBy[0]).toEqual({
      matchId: 'story-a',
      feed: 'Outlet a',
      title: 'Headline story-a',
      link: 'https://news.example/story-a',
    });
  });

  it('marks a match as alerted with the time of the alert', async () => {
    await store.markAlerted('t03', '2026-11-02T10:00:00.000Z');

    const stored = await store.getMatch('t03');

    expect(stored).toMatchObject({ alerted: true, alertedAt: '2026-11-02T10:00:00.000Z' });
  });

  it('writes match items with the attributes the alert stream filter selects on', async () => {
    const { Item } = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: 'MATCH#t02' }, sk: { S: 'MATCH' } },
      }),
    );

    expect(Item?.entity).toEqual({ S: ALERT_STREAM_FILTER.dynamodb.NewImage.entity.S[0] });
    expect(Item?.alert).toEqual({ BOOL: false });
  });

  it('decodes a raw match image back into the match', async () => {
    const { Item } = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: 'MATCH#t02' }, sk: { S: 'MATCH' } },
      }),
    );

    expect(decodeMatchImage(Item ?? {})).toEqual({ ...matches[2], alsoReportedBy: [] });
  });

  it('decodes a facet index image as no match', async () => {
    const { Item } = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: 'MATCH#t02' }, sk: { S: 'FACET#even' } },
      }),
    );

    expect(Item).toBeDefined();
    expect(decodeMatchImage(Item ?? {})).toBeUndefined();
  });

  it('leaves one match, listed once, when several writers store the same new item at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.uuid(), async (writers, id) => {
        const match = aMatch({ id, storedAt: BEFORE_TIMELINE, facets: ['raced'] });
        await Promise.all(
          Array.from({ length: writers }, (_, index) =>
            table.store().storeMatches([{ ...match, title: `writer ${index}` }], [], []),
          ),
        );
        const page = await store.listMatches({
          limit: 100,
          since: BEFORE_TIMELINE,
          facet: 'raced',
        });

        expect(page.items.filter((item) => item.id === id)).toHaveLength(1);
      }),
      { numRuns: 8 },
    );
  });

  it('checks a batch of new matches in one read and stores them with their ledger marks', async () => {
    const stored = aMatch({ id: 'batch-old', storedAt: BEFORE_TIMELINE });
    const entryOf = (match: Match) => ({ itemId: match.id, keys: [`url:${match.id}`] });
    await store.storeMatches([stored], [], [entryOf(stored)]);
    const fresh = Array.from({ length: 30 }, (_, index) =>
      aMatch({ id: `batch-${index}`, storedAt: BEFORE_TIMELINE, facets: ['batch'] }),
    );

    const check = await store.checkNewMatches([stored, ...fresh].map(entryOf));
    await store.storeMatches(fresh, [], fresh.map(entryOf));
    const again = await store.checkNewMatches(fresh.map(entryOf));

    expect(check.fresh).toEqual(new Set(fresh.map((match) => match.id)));
    expect(check.unfinished).toEqual([]);
    expect(again.fresh.size).toBe(0);
    expect((await store.getMatch('batch-29'))?.facets).toEqual(['batch']);
  });

  it('finishes a match whose write was cut short before its index and ledger marks', async () => {
    const match = aMatch({ id: 'half-written', storedAt: BEFORE_TIMELINE, facets: ['mended'] });
    const entry = { itemId: match.id, keys: ['url:half-written'] };
    await store.storeMatches([match], [], []);
    await deleteFacetItems(table, match.id);
    const query = { limit: 25, since: BEFORE_TIMELINE, facet: 'mended' };
    const broken = await store.listMatches(query);

    const check = await store.checkNewMatches([entry]);
    await store.storeMatches([], check.unfinished, [entry]);

    expect(broken.items).toEqual([]);
    expect(check.fresh.size).toBe(0);
    expect(check.unfinished.map((unfinished) => unfinished.id)).toEqual(['half-written']);
    expect((await store.listMatches(query)).items.map((item) => item.id)).toEqual(['half-written']);
    expect((await store.checkNewMatches([entry])).unfinished).toEqual([]);
  });
});

/** Deletes a match's facet index items, as a crash between the two writes would leave it. */
async function deleteFacetItems(table: TestTable, matchId: string): Promise<void> {
  const { Items = [] } = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `MATCH#${matchId}` },
    }),
  );
  for (const item of Items.filter((entry) => entry.sk !== 'MATCH')) {
    await table.documentClient.send(
      new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }),
    );
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { InvalidCursorError } from '#shared/store/store-errors.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

/** The store's clock, injected; the matches sit in the hours and days before it. */
const NOW = new Date('2031-05-02T12:30:00.000Z');
const HOUR_MS = 3_600_000;

function at(hoursAgo: number): string {
  return new Date(NOW.getTime() - hoursAgo * HOUR_MS).toISOString();
}

/**
 * Seven matches over three days across the April/May month boundary, in four stories: two
 * stories with a later copy, leads in either facet.
 */
const MATCHES: Match[] = [
  aMatch({ id: 'a', storedAt: at(40), storyId: 'a', facets: ['trade'] }),
  aMatch({ id: 'a2', storedAt: at(39), storyId: 'a', facets: ['trade', 'energy'] }),
  aMatch({ id: 'b', storedAt: at(30), storyId: 'b', facets: ['energy'] }),
  aMatch({ id: 'c', storedAt: at(5.5), storyId: 'c', facets: ['trade'] }),
  aMatch({ id: 'c2', storedAt: at(5.25), storyId: 'c', facets: ['trade'] }),
  aMatch({ id: 'd', storedAt: at(5), storyId: 'd', facets: ['trade', 'energy'] }),
  aMatch({ id: 'old', storedAt: at(24 * 20), storyId: 'old', facets: ['trade'] }),
];

describe.each(BACKENDS)('what the web page reads, on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    store = table.store({ now: () => NOW });
    await store.storeMatches(MATCHES, [], []);
  });
  afterAll(async () => close());

  async function allLeads(query: { facet?: string; since?: string }): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listStoryLeads({ ...query, limit: 1, cursor });
      ids.push(...page.items.map((match) => match.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  it('lists each story once, as its lead, newest first, page by page on every index', async () => {
    expect(await allLeads({})).toEqual(['d', 'c', 'b', 'a', 'old']);
    // The facet index's slim entries carry no story: the later copies are left out once read.
    expect(await allLeads({ facet: 'trade' })).toEqual(['d', 'c', 'a', 'old']);
    expect(await allLeads({ facet: 'energy', since: at(48) })).toEqual(['d', 'b']);
  });

  it('refuses a cursor of GET /matches for the stories of the same filters', async () => {
    const matches = await store.listMatches({ limit: 1 });
    expect(matches.nextCursor).toBeDefined();
    await expect(
      store.listStoryLeads({ limit: 1, cursor: matches.nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('counts matches per hour and per facet in the window, empty hours included', async () => {
    const volume = await store.matchVolume({
      since: at(48),
      until: NOW.toISOString(),
      interval: 'hour',
      facets: ['trade', 'energy', 'unused'],
    });

    expect(volume.buckets).toHaveLength(49);
    expect(volume.buckets[0]?.start).toBe('2031-04-30T12:00:00.000Z');
    const nonEmpty = volume.buckets.filter((bucket) => bucket.matches > 0);
    expect(nonEmpty).toEqual([
      { start: '2031-04-30T20:00:00.000Z', matches: 1, facets: { trade: 1, energy: 0, unused: 0 } },
      { start: '2031-04-30T21:00:00.000Z', matches: 1, facets: { trade: 1, energy: 1, unused: 0 } },
      { start: '2031-05-01T06:00:00.000Z', matches: 1, facets: { trade: 0, energy: 1, unused: 0 } },
      {
        start: '2031-05-02T07:00:00.000Z',
        matches: 3,
        facets: { trade: 3, energy: 1, unused: 0 },
      },
    ]);
    const days = await store.matchVolume({
      since: at(24 * 30),
      until: NOW.toISOString(),
      interval: 'day',
      facets: ['trade'],
    });
    expect(days.buckets).toHaveLength(31);
    expect(days.buckets.reduce((sum, bucket) => sum + bucket.matches, 0)).toBe(MATCHES.length);
    expect(days.buckets.at(-1)).toEqual({
      start: '2031-05-02T00:00:00.000Z',
      matches: 3,
      facets: { trade: 3 },
    });
  });

  it('lists sent alerts newest first with their channel and headline, and each story alert', async () => {
    await store.markAlertSent('a', 'a', at(39), 'm-1', 'instant');
    await store.markAlertSent('b', 'b', at(29), 'm-2', 'digest');
    await store.markAlertSent('old', 'old', at(24 * 20), 'm-3', 'instant');
    expect(await store.claimAlert('c', 'c', 60)).toBe('claimed');

    const sent = await store.listSentAlerts(at(48), NOW.toISOString(), 10);

    expect(sent).toEqual([
      {
        storyId: 'b',
        matchId: 'b',
        sentAt: at(29),
        channel: 'digest',
        headline: { title: 'Headline b', feed: 'Example News', link: 'https://news.example/b' },
      },
      {
        storyId: 'a',
        matchId: 'a',
        sentAt: at(39),
        channel: 'instant',
        headline: { title: 'Headline a', feed: 'Example News', link: 'https://news.example/a' },
      },
    ]);
    expect(
      (await store.listSentAlerts(at(48), NOW.toISOString(), 1)).map((a) => a.storyId),
    ).toEqual(['b']);
    // A claimed story is not alerted yet.
    const alerts = await store.storyAlerts(['a', 'b', 'c', 'd']);
    expect([...alerts.keys()].sort()).toEqual(['a', 'b']);
    expect(alerts.get('b')).toEqual({
      storyId: 'b',
      matchId: 'b',
      sentAt: at(29),
      channel: 'digest',
    });
  });

  it('shows the digest queue oldest first without taking from it', async () => {
    await store.enqueueDigest({ storyId: 'd', matchId: 'd', queuedAt: at(4) });
    await store.enqueueDigest({ storyId: 'c', matchId: 'c', queuedAt: at(5) });

    const queued = await store.listDigestQueue(10);

    expect(queued.map((entry) => [entry.storyId, entry.queuedAt, entry.headline?.title])).toEqual([
      ['c', at(5), 'Headline c'],
      ['d', at(4), 'Headline d'],
    ]);
    const taken = await store.readDigest(10);
    expect(taken.map((entry) => entry.storyId)).toEqual(['c', 'd']);
    await store.removeDigest(taken);
    expect(await store.listDigestQueue(10)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import type { ApiStore } from '#shared/api/api-routes.ts';
import type { MatchQuery } from '#shared/store/match-schema.ts';
import type { VolumeQuery } from '#shared/store/store-ports.ts';
import { SAMPLE_PROFILE } from '../../fixtures/api/api-test-data.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';

const NOW = new Date('2031-06-15T10:20:00.000Z');

function routerOver(overrides: Partial<ApiStore>) {
  const unused = async (): Promise<never> => {
    throw new Error('not read by this route');
  };
  const store: ApiStore = {
    listMatches: unused,
    getMatch: async () => undefined,
    listFeedStates: unused,
    storyMembers: async () => [],
    listStoryLeads: unused,
    storyAlerts: async () => new Map(),
    matchVolume: unused,
    listSentAlerts: unused,
    listDigestQueue: unused,
    getFeedback: unused,
    putFeedback: unused,
    listFeedback: unused,
    readFeedList: unused,
    seedFeedList: unused,
    addListedFeed: unused,
    removeListedFeed: unused,
    ...overrides,
  };
  const router = createApiRouter({ store, profile: () => SAMPLE_PROFILE, now: () => NOW });
  return async (path: string, query: Record<string, string> = {}) => {
    const response = await router({ method: 'GET', path, query, headers: {}, requestId: 'r' });
    return { status: response.status, body: JSON.parse(response.body) };
  };
}

describe('the routes of the web page', () => {
  it('lists stories with the filters of /matches and the alert of each story', async () => {
    const queries: MatchQuery[] = [];
    const lead = aMatch({ id: 's1', storyId: 's1' });
    const get = routerOver({
      listStoryLeads: async (query) => {
        queries.push(query);
        return { items: [lead], nextCursor: 'next' };
      },
      storyAlerts: async (ids) =>
        new Map(ids.map((id) => [id, { storyId: id, matchId: id, sentAt: lead.storedAt }])),
    });

    const { status, body } = await get('/stories', { facet: 'trade', minScore: '0.5' });

    expect(status).toBe(200);
    expect(queries).toEqual([{ facet: 'trade', minScore: 0.5, limit: 25 }]);
    expect(body.nextCursor).toBe('next');
    expect(body.items[0]).toMatchObject({
      storyId: 's1',
      firstSeen: lead.storedAt,
      alert: { storyId: 's1', sentAt: lead.storedAt },
    });
    expect(body.items[0].lead.explanation).toBeUndefined();
  });

  it('answers 404 for a story id that names a later copy, not a story', async () => {
    const get = routerOver({ getMatch: async (id) => aMatch({ id, storyId: 'first-copy' }) });

    expect((await get('/stories/later-copy')).status).toBe(404);
  });

  it('counts volume back from the clock, over the facets of the profile', async () => {
    const asked: VolumeQuery[] = [];
    const get = routerOver({
      matchVolume: async (query) => {
        asked.push(query);
        return { interval: query.interval, since: query.since, until: query.until, buckets: [] };
      },
    });

    const { status, body } = await get('/volume', { days: '2', interval: 'hour' });

    expect(status).toBe(200);
    expect(asked).toEqual([
      {
        since: '2031-06-13T10:20:00.000Z',
        until: NOW.toISOString(),
        interval: 'hour',
        facets: SAMPLE_PROFILE.facets.map((facet) => facet.name),
      },
    ]);
    expect(body.facets).toEqual(asked[0]?.facets);
  });

  it('refuses hourly volume over more than 14 days, naming the parameter', async () => {
    const { status, body } = await routerOver({})('/volume', { days: '30', interval: 'hour' });

    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { parameter: 'days', message: 'must be at most 14 with interval=hour' },
    ]);
  });
});

import { createApiRouter } from '#shared/api/api-router.ts';
import type { ApiRequest, ApiResponse } from '#shared/api/api-types.ts';
import type { FeedState } from '#shared/store/feed-state-schema.ts';
import type { Match, MatchPage, MatchQuery } from '#shared/store/match-schema.ts';
import { SAMPLE_PROFILE } from '../../fixtures/api/api-test-data.ts';

export interface RouterHarness {
  call(request: Partial<ApiRequest> & { path: string }): Promise<ApiResponse>;
  get(
    path: string,
    query?: ApiRequest['query'],
    headers?: ApiRequest['headers'],
  ): Promise<ApiResponse>;
  /** Every query the router handed to the store. */
  queries: MatchQuery[];
  logged: object[];
}

export interface HarnessOptions {
  page?: MatchPage;
  matches?: Match[];
  feeds?: FeedState[];
  profile?: unknown;
  corsOrigins?: string[];
  /** Makes every store call fail with this error. */
  storeError?: Error;
}

/** The page's reads over an empty store: these suites exercise the match and feed routes. */
const EMPTY_MONITOR_READS = {
  storyMembers: async () => [],
  listStoryLeads: async () => ({ items: [] }),
  storyAlerts: async () => new Map(),
  matchVolume: async () => ({ interval: 'day' as const, since: '', until: '', buckets: [] }),
  listSentAlerts: async () => [],
  listDigestQueue: async () => [],
  getFeedback: async () => undefined,
  putFeedback: async () => true,
  listFeedback: async () => ({ items: [] }),
};

/** The router over a recording stand-in for the store methods it reads. */
export function routerHarness(options: HarnessOptions = {}): RouterHarness {
  const queries: MatchQuery[] = [];
  const logged: object[] = [];
  const fail = async (): Promise<never> => {
    throw options.storeError;
  };
  // The listed feeds are those whose states the options give.
  const feedList = {
    readFeedList: async () =>
      (options.feeds ?? []).map((state) => ({
        feedId: state.feedId,
        url: state.url,
        ...(state.name === undefined ? {} : { name: state.name }),
        tags: [],
        addedAt: '2030-01-01T00:00:00.000Z',
      })),
    seedFeedList: fail,
    addListedFeed: fail,
    removeListedFeed: fail,
  };
  const router = createApiRouter({
    store: options.storeError
      ? {
          ...EMPTY_MONITOR_READS,
          ...feedList,
          listMatches: fail,
          getMatch: fail,
          listFeedStates: fail,
          readFeedList: fail,
        }
      : {
          ...EMPTY_MONITOR_READS,
          ...feedList,
          listMatches: async (query) => {
            queries.push(query);
            return options.page ?? { items: [] };
          },
          getMatch: async (id) => options.matches?.find((match) => match.id === id),
          listFeedStates: async () => [...(options.feeds ?? [])],
        },
    profile: () => options.profile ?? SAMPLE_PROFILE,
    corsOrigins: options.corsOrigins,
    log: (entry) => logged.push(entry),
  });
  const call: RouterHarness['call'] = (request) =>
    router({ method: 'GET', query: {}, headers: {}, requestId: 'req-test-1', ...request });
  return {
    call,
    get: (path, query = {}, headers = {}) => call({ path, query, headers }),
    queries,
    logged,
  };
}

/** The JSON body of a response. */
export function json(response: ApiResponse): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}

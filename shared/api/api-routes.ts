import { z } from 'zod';
import type { FeedListService } from '#shared/feeds/feed-list-service.ts';
import type { FeedListStore, Store } from '#shared/store/store-ports.ts';
import { ResourceNotFoundError } from './api-errors.ts';
import {
  AlertActivityParametersSchema,
  AlertActivitySchema,
  FeedHealthSchema,
  FeedIdParametersSchema,
  FeedListSchema,
  MatchDetailSchema,
  MatchIdParametersSchema,
  MatchListParametersSchema,
  MatchPageSchema,
  NewFeedSchema,
  NoParametersSchema,
  ProfileSchema,
  StoryDetailSchema,
  StoryIdParametersSchema,
  StoryListParametersSchema,
  StoryPageSchema,
  VolumeParametersSchema,
  VolumeSchema,
} from './api-schemas.ts';
import { feedListing } from './feed-listing.ts';

/** The store methods the routes read. */
export type ApiStore = Pick<
  Store,
  | 'listMatches'
  | 'getMatch'
  | 'listFeedStates'
  | 'storyMembers'
  | 'listStoryLeads'
  | 'storyAlerts'
  | 'matchVolume'
  | 'listSentAlerts'
  | 'listDigestQueue'
> &
  FeedListStore;

/** What the routes read: the store, the profile, the clock, and the API's own description. */
export interface RouteDeps {
  store: ApiStore;
  profile: () => unknown;
  now: () => Date;
  /** The stored feed list's use cases. */
  feeds: FeedListService;
  openApiDocument: () => object;
}

const DAY_MS = 86_400_000;

const FacetNamesSchema = z.object({ facets: z.array(z.object({ name: z.string() })) });

/** The facet names of the profile in use, in its order. */
function facetNames(profile: unknown): string[] {
  return FacetNamesSchema.parse(profile).facets.map((facet) => facet.name);
}

/** One route: what it accepts and returns (the router enforces both, the OpenAPI document shows both). */
export interface RouteDefinition {
  /** @default 'GET' (which answers HEAD too) */
  method?: RouteMethod;
  /** Path template in OpenAPI form, e.g. `/matches/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  pathParameters: z.ZodObject;
  queryParameters: z.ZodObject;
  /** The JSON body the route takes; a route without one refuses any body. */
  body?: z.ZodType;
  /** `status` defaults to 200; 204 sends no body. */
  response: { schema: z.ZodType; description: string; status?: 200 | 201 | 204 };
  /** Error statuses the route can answer with, besides those every route shares. */
  problems: number[];
  handle(
    input: { path: unknown; query: unknown; body: unknown },
    deps: RouteDeps,
  ): Promise<unknown>;
}

function defineRoute<
  P extends z.ZodObject,
  Q extends z.ZodObject,
  B extends z.ZodType = z.ZodUndefined,
>(route: {
  method?: RouteMethod;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  pathParameters: P;
  queryParameters: Q;
  body?: B;
  response: { schema: z.ZodType; description: string; status?: 200 | 201 | 204 };
  problems: number[];
  handle(
    input: { path: z.output<P>; query: z.output<Q>; body: z.output<B> },
    deps: RouteDeps,
  ): Promise<unknown>;
}): RouteDefinition {
  return route as unknown as RouteDefinition;
}

export type RouteMethod = 'GET' | 'POST' | 'DELETE';

/** The openapi document is not described by itself beyond being a JSON object. */
const OpenApiBodySchema = z
  .looseObject({ openapi: z.string() })
  .describe('This document: OpenAPI 3.1.');

export const API_ROUTES: readonly RouteDefinition[] = [
  defineRoute({
    path: '/matches',
    operationId: 'listMatches',
    summary: 'List stored matches, newest first',
    description:
      'Filters combine (all must hold). Pages are bounded: follow `nextCursor` with the same filters until it is absent.',
    pathParameters: NoParametersSchema,
    queryParameters: MatchListParametersSchema,
    response: { schema: MatchPageSchema, description: 'One page of matches, newest first.' },
    problems: [400],
    handle: ({ query }, { store }) => store.listMatches(query),
  }),
  defineRoute({
    path: '/matches/{id}',
    operationId: 'getMatch',
    summary: 'One match with the explanation of its score',
    description: 'The match as listed, plus `explanation`: facets, term contributions and notes.',
    pathParameters: MatchIdParametersSchema,
    queryParameters: NoParametersSchema,
    response: { schema: MatchDetailSchema, description: 'The match with its score explanation.' },
    problems: [400, 404],
    handle: async ({ path }, { store }) => {
      const match = await store.getMatch(path.id);
      if (!match) throw new ResourceNotFoundError('match', path.id);
      return match;
    },
  }),
  defineRoute({
    path: '/feeds',
    operationId: 'listFeeds',
    summary: 'Every feed in the feed list with its health',
    description:
      'The feeds the schedule polls, each with its last fetch and success, status, consecutive failures, last error and items seen; a feed not polled yet has status `new`.',
    pathParameters: NoParametersSchema,
    queryParameters: NoParametersSchema,
    response: { schema: FeedListSchema, description: 'The feeds, by name.' },
    problems: [400],
    handle: async (_input, { store, feeds }) => ({
      items: feedListing(await feeds.list(), await store.listFeedStates()),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/feeds',
    operationId: 'addFeed',
    summary: 'Add a feed to the feed list',
    description:
      'The next scheduled sweep polls it. The URL must be http(s) on a public address; a feed whose canonical URL is listed already is refused with 409.',
    pathParameters: NoParametersSchema,
    queryParameters: NoParametersSchema,
    body: NewFeedSchema,
    response: { schema: FeedHealthSchema, description: 'The feed as listed.', status: 201 },
    problems: [400, 409, 413, 415],
    handle: async ({ body }, { feeds }) => {
      const [listed] = feedListing([await feeds.add(body)], []);
      return listed;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/feeds/{id}',
    operationId: 'removeFeed',
    summary: 'Remove a feed from the feed list',
    description: 'The feed and its state go; the next scheduled sweep no longer polls it.',
    pathParameters: FeedIdParametersSchema,
    queryParameters: NoParametersSchema,
    response: { schema: z.undefined(), description: 'Removed.', status: 204 },
    problems: [400, 404],
    handle: async ({ path }, { feeds }) => {
      await feeds.remove(path.id);
      return undefined;
    },
  }),
  defineRoute({
    path: '/profile',
    operationId: 'getProfile',
    summary: 'The topic profile in use and its version',
    description:
      'Derived from the seed articles; `version` is a hash that changes with the profile.',
    pathParameters: NoParametersSchema,
    queryParameters: NoParametersSchema,
    response: { schema: ProfileSchema, description: 'The profile.' },
    problems: [400],
    handle: async (_input, { profile }) => profile(),
  }),
  defineRoute({
    path: '/stories',
    operationId: 'listStories',
    summary: 'List stories, newest first',
    description:
      'Each story once, as its lead (its first copy) with the outlets that also reported it and the alert sent for it. The filters are those of `GET /matches`, applied to the lead. Follow `nextCursor` with the same filters until it is absent.',
    pathParameters: NoParametersSchema,
    queryParameters: StoryListParametersSchema,
    response: { schema: StoryPageSchema, description: 'One page of stories, newest first.' },
    problems: [400],
    handle: async ({ query }, { store }) => {
      const page = await store.listStoryLeads(query);
      const alerts = await store.storyAlerts(page.items.map((lead) => lead.storyId));
      return {
        items: page.items.map((lead) => ({
          storyId: lead.storyId,
          firstSeen: lead.storedAt,
          lead,
          alert: alerts.get(lead.storyId),
        })),
        nextCursor: page.nextCursor,
      };
    },
  }),
  defineRoute({
    path: '/stories/{id}',
    operationId: 'getStory',
    summary: 'One story: every copy, and why its lead matched',
    description:
      'The lead (first copy) with the explanation of its score, every copy first stored first, and the alert sent for the story.',
    pathParameters: StoryIdParametersSchema,
    queryParameters: NoParametersSchema,
    response: { schema: StoryDetailSchema, description: 'The story.' },
    problems: [400, 404],
    handle: async ({ path }, { store }) => {
      // A story is named after its first copy: its id is the lead match's id.
      const [lead, copies, alerts] = await Promise.all([
        store.getMatch(path.id),
        store.storyMembers(path.id),
        store.storyAlerts([path.id]),
      ]);
      if (!lead || lead.storyId !== path.id) throw new ResourceNotFoundError('story', path.id);
      return { storyId: path.id, lead, copies, alert: alerts.get(path.id) };
    },
  }),
  defineRoute({
    path: '/volume',
    operationId: 'getVolume',
    summary: 'Matches per hour or day, in all and by facet',
    description:
      'Counts of stored matches over the last `days` days up to now, in hour or day buckets (UTC), in all and for each facet of the profile.',
    pathParameters: NoParametersSchema,
    queryParameters: VolumeParametersSchema,
    response: { schema: VolumeSchema, description: 'The counts, oldest bucket first.' },
    problems: [400],
    handle: async ({ query }, { store, profile, now }) => {
      const until = now();
      const facets = facetNames(profile());
      const volume = await store.matchVolume({
        since: new Date(until.getTime() - query.days * DAY_MS).toISOString(),
        until: until.toISOString(),
        interval: query.interval,
        facets,
      });
      return { ...volume, facets };
    },
  }),
  defineRoute({
    path: '/alerts',
    operationId: 'listAlerts',
    summary: 'Alerts sent, and stories waiting for the digest',
    description:
      'Alerts sent over the last `days` days, newest first, each on its own or in a digest; and the stories the caps or digest mode hold for the next digest.',
    pathParameters: NoParametersSchema,
    queryParameters: AlertActivityParametersSchema,
    response: { schema: AlertActivitySchema, description: 'Sent alerts and the digest queue.' },
    problems: [400],
    handle: async ({ query }, { store, now }) => {
      const until = now();
      const since = new Date(until.getTime() - query.days * DAY_MS);
      const [sent, digestQueue] = await Promise.all([
        store.listSentAlerts(since.toISOString(), until.toISOString(), query.limit),
        store.listDigestQueue(query.limit),
      ]);
      return { sent, digestQueue };
    },
  }),
  defineRoute({
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This API described in OpenAPI 3.1',
    description: 'Generated from the same schemas that validate requests and responses.',
    pathParameters: NoParametersSchema,
    queryParameters: NoParametersSchema,
    response: { schema: OpenApiBodySchema, description: 'The OpenAPI document.' },
    problems: [400],
    handle: async (_input, { openApiDocument }) => openApiDocument(),
  }),
];

/** The methods a path answers, as `Allow` lists them. */
export function allowedMethods(routes: readonly RouteDefinition[]): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    const method = route.method ?? 'GET';
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
  }
  return [...methods, 'OPTIONS'];
}

/** The routes whose template matches `path`, with the raw (still encoded) path parameter values. */
export function findRoutes(
  path: string,
): { route: RouteDefinition; values: Record<string, string> }[] {
  const found: { route: RouteDefinition; values: Record<string, string> }[] = [];
  const segments = path.split('/');
  for (const route of API_ROUTES) {
    const template = route.path.split('/');
    if (template.length !== segments.length) continue;
    const values: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const segment = segments[index] as string;
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part === segment;
      values[name] = segment;
      return segment.length > 0;
    });
    if (matches) found.push({ route, values });
  }
  return found;
}

import { z } from 'zod';
import {
  MatchFeedbackInputSchema,
  MissReportInputSchema,
} from '#shared/feedback/feedback-input.ts';
import { gradeMatch, reportMiss, UnknownMatchError } from '#shared/feedback/record-feedback.ts';
import type { Store } from '#shared/store/store-ports.ts';
import { ResourceNotFoundError } from './api-errors.ts';
import {
  AlertActivityParametersSchema,
  AlertActivitySchema,
  FeedListSchema,
  MatchDetailSchema,
  MatchIdParametersSchema,
  MatchListParametersSchema,
  MatchPageSchema,
  NoParametersSchema,
  ProfileSchema,
  StoryDetailSchema,
  StoryIdParametersSchema,
  StoryListParametersSchema,
  StoryPageSchema,
  VolumeParametersSchema,
  VolumeSchema,
} from './api-schemas.ts';
import {
  FeedbackItemSchema,
  FeedbackListParametersSchema,
  FeedbackPageSchema,
} from './feedback-schemas.ts';

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
  | 'getFeedback'
  | 'putFeedback'
  | 'listFeedback'
>;

/** What the routes read: the store, the profile, the clock, and the API's own description. */
export interface RouteDeps {
  store: ApiStore;
  profile: () => unknown;
  now: () => Date;
  openApiDocument: () => object;
}

const DAY_MS = 86_400_000;

const FacetNamesSchema = z.object({ facets: z.array(z.object({ name: z.string() })) });

/** The facet names of the profile in use, in its order. */
function facetNames(profile: unknown): string[] {
  return FacetNamesSchema.parse(profile).facets.map((facet) => facet.name);
}

/** A route's result with a status other than 200 (e.g. 201 for something created). */
export class StatusReply {
  constructor(
    readonly status: number,
    readonly value: unknown,
  ) {}
}

/** One route: what it accepts and returns (the router enforces both, the OpenAPI document shows both). */
export interface RouteDefinition {
  /** Path template in OpenAPI form, e.g. `/matches/{id}`. */
  path: string;
  /** @default 'GET' (which answers HEAD as well) */
  method?: 'GET' | 'POST';
  operationId: string;
  summary: string;
  description: string;
  pathParameters: z.ZodObject;
  queryParameters: z.ZodObject;
  /** The JSON body a writing route takes. */
  body?: z.ZodObject;
  /** `created`: what a 201 means, for a route that answers 201 or 200. */
  response: { schema: z.ZodType; description: string; created?: string };
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
  B extends z.ZodObject = z.ZodObject<Record<string, never>>,
>(route: {
  path: string;
  method?: 'GET' | 'POST';
  operationId: string;
  summary: string;
  description: string;
  pathParameters: P;
  queryParameters: Q;
  body?: B;
  response: { schema: z.ZodType; description: string; created?: string };
  problems: number[];
  handle(
    input: { path: z.output<P>; query: z.output<Q>; body: z.output<B> },
    deps: RouteDeps,
  ): Promise<unknown>;
}): RouteDefinition {
  return route as unknown as RouteDefinition;
}

const ProfileVersionSchema = z.object({ version: z.string() });

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
    summary: 'Every polled feed with its health',
    description: 'Last fetch and success, status, consecutive failures, last error, items seen.',
    pathParameters: NoParametersSchema,
    queryParameters: NoParametersSchema,
    response: { schema: FeedListSchema, description: 'The feeds, by name.' },
    problems: [400],
    handle: async (_input, { store }) => {
      const states = await store.listFeedStates();
      const label = (state: { name?: string; url: string }) => state.name ?? state.url;
      return { items: [...states].sort((a, b) => label(a).localeCompare(label(b))) };
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
    path: '/matches/{id}/feedback',
    method: 'POST',
    operationId: 'gradeMatch',
    summary: 'Grade a match: 0 not relevant, 1 relevant, 2 alert-worthy',
    description:
      'The last grade wins; earlier ones stay in `history` with their times, and the same grade and note again change nothing. The feedback keeps the match’s title, summary, outlet, language and the profile version that scored it.',
    pathParameters: MatchIdParametersSchema,
    queryParameters: NoParametersSchema,
    body: MatchFeedbackInputSchema,
    response: {
      schema: FeedbackItemSchema,
      description: 'The match was graded before; this is its feedback now.',
      created: 'The first grade of this match.',
    },
    problems: [400, 404, 413, 415],
    handle: async ({ path, body }, { store, now }) => {
      try {
        const recorded = await gradeMatch({ store, now }, path.id, body);
        return new StatusReply(recorded.created ? 201 : 200, recorded.feedback);
      } catch (error) {
        if (error instanceof UnknownMatchError) throw new ResourceNotFoundError('match', path.id);
        throw error;
      }
    },
  }),
  defineRoute({
    path: '/feedback',
    operationId: 'listFeedback',
    summary: 'Graded items: matches graded and misses reported',
    description:
      'In id order, bounded pages: follow `nextCursor` until it is absent. `newswatch eval --feedback` scores them.',
    pathParameters: NoParametersSchema,
    queryParameters: FeedbackListParametersSchema,
    response: { schema: FeedbackPageSchema, description: 'One page of graded items.' },
    problems: [400],
    handle: ({ query }, { store }) => store.listFeedback(query),
  }),
  defineRoute({
    path: '/feedback',
    method: 'POST',
    operationId: 'reportMiss',
    summary: 'Report an item the profile missed, graded 1 or 2',
    description:
      'Stores the item with its title and summary, as given (the CLI fetches them from the link when not given), and the version of the profile in use, so the miss can be scored later. Its id is the one a feed item with this link gets.',
    pathParameters: NoParametersSchema,
    queryParameters: NoParametersSchema,
    body: MissReportInputSchema,
    response: {
      schema: FeedbackItemSchema,
      description: 'The item was graded before; this is its feedback now.',
      created: 'The first report of this item.',
    },
    problems: [400, 413, 415],
    handle: async ({ body }, { store, now, profile }) => {
      const { version } = ProfileVersionSchema.parse(profile());
      const recorded = await reportMiss({ store, now }, body, version);
      return new StatusReply(recorded.created ? 201 : 200, recorded.feedback);
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

/**
 * The route for `method` among those whose template matches `path`, with the raw (still encoded)
 * path parameter values and the methods the path answers; undefined when no template matches.
 */
export function findRoute(
  path: string,
  method: string,
):
  | { route: RouteDefinition | undefined; values: Record<string, string>; methods: string[] }
  | undefined {
  const segments = path.split('/');
  let found: { route: RouteDefinition | undefined; values: Record<string, string> } | undefined;
  const methods = new Set<string>();
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
    if (!matches) continue;
    const routeMethod = route.method ?? 'GET';
    if (routeMethod === 'GET') methods.add('GET').add('HEAD');
    else methods.add(routeMethod);
    if (routeMethod === (method === 'HEAD' ? 'GET' : method)) found = { route, values };
    found ??= { route: undefined, values };
  }
  return found && { ...found, methods: [...methods, 'OPTIONS'] };
}

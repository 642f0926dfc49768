import { z } from 'zod';
import {
  MatchFeedbackInputSchema,
  MissReportInputSchema,
} from '#shared/feedback/feedback-input.ts';
import { gradeMatch, reportMiss, UnknownMatchError } from '#shared/feedback/record-feedback.ts';
import type { FeedListService } from '#shared/feeds/feed-list-service.ts';
import { ProfileError } from '#shared/profile/profile-error.ts';
import {
  applyProfileOverlay,
  listProfileVersions,
  type ProfileVersionDeps,
  useProfileOverlayVersion,
} from '#shared/profile/profile-versions.ts';
import type { FeedListStore, ProfileOverlayVersion, Store } from '#shared/store/store-ports.ts';
import { InvalidParameterError, ResourceNotFoundError, RouteNotFoundError } from './api-errors.ts';
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
  NewProfileVersionSchema,
  NoParametersSchema,
  ProfileInUseChangeSchema,
  ProfileSchema,
  ProfileVersionListSchema,
  ProfileVersionSchema,
  StoryDetailSchema,
  StoryIdParametersSchema,
  StoryListParametersSchema,
  StoryPageSchema,
  VolumeParametersSchema,
  VolumeSchema,
} from './api-schemas.ts';
import { feedListing } from './feed-listing.ts';
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
> &
  FeedListStore;

/** What the routes read: the store, the profile, the clock, and the API's own description. */
export interface RouteDeps {
  store: ApiStore;
  profile: () => unknown;
  /** The profile overlay's versions; absent, the routes that list or change them answer 404. */
  profileVersions?: ProfileVersionDeps;
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

/** A route's result with another status than its usual one (e.g. 201 when it created something). */
export class StatusReply {
  constructor(
    readonly status: number,
    readonly value: unknown,
  ) {}
}

/** The methods a route can take; HEAD and OPTIONS are answered for every GET route. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a route's handler receives: validated parameters and body, and who is asking. */
export interface RouteInput<P = unknown, Q = unknown, B = unknown> {
  path: P;
  query: Q;
  /** The JSON body, validated by the route's `body` schema (routes without one get none). */
  body: B;
  /** The body's JSON as sent, before the schema filled in defaults. */
  json: unknown;
  /** The caller's identity as the transport tells it (the IAM ARN deployed), if it does. */
  caller?: string;
}

/** One route: what it accepts and returns (the router enforces both, the OpenAPI document shows both). */
export interface RouteDefinition {
  /** @default 'GET' */
  method?: RouteMethod;
  /** Path template in OpenAPI form, e.g. `/matches/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  pathParameters: z.ZodObject;
  queryParameters: z.ZodObject;
  /** The JSON request body the route takes, if any. */
  body?: z.ZodType;
  /** @default 200 */
  status?: number;
  /** `created`: what a 201 means, for a route that answers 201 or 200 (by a `StatusReply`). */
  response: { schema: z.ZodType; description: string; created?: string };
  /** Error statuses the route can answer with, besides those every route shares. */
  problems: number[];
  handle(input: RouteInput, deps: RouteDeps): Promise<unknown>;
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
  status?: number;
  response: { schema: z.ZodType; description: string; created?: string };
  problems: number[];
  handle(
    input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>,
    deps: RouteDeps,
  ): Promise<unknown>;
}): RouteDefinition {
  return route as unknown as RouteDefinition;
}

const ProfileHashSchema = z.object({ version: z.string() });

/** The methods the routes at one path take, as `Allow` lists them: a GET brings HEAD. */
export function allowedMethods(routes: readonly RouteDefinition[]): string[] {
  const methods = routes.map((route) => route.method ?? 'GET');
  return [
    ...(methods.includes('GET') ? ['GET', 'HEAD'] : []),
    ...methods.filter((m) => m !== 'GET'),
    'OPTIONS',
  ];
}

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
    status: 201,
    response: { schema: FeedHealthSchema, description: 'The feed as listed.' },
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
    status: 204,
    response: { schema: z.undefined(), description: 'Removed.' },
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
  ...profileVersionRoutes(),
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
      const facets = facetNames(await profile());
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
      const { version } = ProfileHashSchema.parse(await profile());
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

/** The routes whose template matches `path` (one per method), with the raw path parameter values. */
export function findRoutes(
  path: string,
): { routes: RouteDefinition[]; values: Record<string, string> } | undefined {
  const segments = path.split('/');
  let found: { routes: RouteDefinition[]; values: Record<string, string> } | undefined;
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
    if (found && found.routes[0]?.path !== route.path) continue;
    found ??= { routes: [], values };
    found.routes.push(route);
  }
  return found;
}

/**
 * The profile overlay's versions: list them, add one (in use at once), or put an older one back.
 * Changing the profile takes the caller's request; nothing else does.
 */
function profileVersionRoutes(): RouteDefinition[] {
  const versionsOf = (deps: RouteDeps, path: string): ProfileVersionDeps => {
    if (!deps.profileVersions)
      throw new RouteNotFoundError(`${path}: this server keeps no profile versions`);
    return deps.profileVersions;
  };
  const shown = (version: ProfileOverlayVersion) => ({
    ...version,
    overlay: JSON.parse(version.overlay),
  });
  return [
    defineRoute({
      path: '/profile/versions',
      operationId: 'listProfileVersions',
      summary: 'Every version of the profile overlay, and the one in use',
      description:
        'Newest first. Version 1 is the `profile.json` the seeds shipped with; every later one was added by `POST /profile/versions`.',
      pathParameters: NoParametersSchema,
      queryParameters: NoParametersSchema,
      response: { schema: ProfileVersionListSchema, description: 'The versions.' },
      problems: [400, 404],
      handle: async (_input, deps) => {
        const { inUse, versions } = await listProfileVersions(
          versionsOf(deps, '/profile/versions'),
        );
        return { inUse, items: versions.map(shown) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/profile/versions',
      operationId: 'addProfileVersion',
      summary: 'Add a profile overlay version and put it in use',
      description:
        'The overlay is validated and the profile derived before anything is stored; the functions score with it from their next run. Backtest it first with `newswatch profile diff`.',
      pathParameters: NoParametersSchema,
      queryParameters: NoParametersSchema,
      body: NewProfileVersionSchema,
      status: 201,
      response: { schema: ProfileVersionSchema, description: 'The new version, now in use.' },
      problems: [400, 404],
      handle: async ({ body, json, caller }, deps) => {
        const written = (json as { overlay: unknown }).overlay;
        try {
          const version = await applyProfileOverlay(
            versionsOf(deps, '/profile/versions'),
            written,
            {
              by: caller ?? 'api',
              note: body.note,
            },
          );
          return shown(version);
        } catch (error) {
          // The schema passed, but the profile cannot be derived from it (e.g. a rule naming a
          // facet the overlay lacks): the message names what.
          if (error instanceof ProfileError) {
            throw new InvalidParameterError([
              { parameter: 'body.overlay', message: error.message },
            ]);
          }
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/profile/in-use',
      operationId: 'useProfileVersion',
      summary: 'Put a stored overlay version back in use',
      description: 'A rollback: nothing is added or removed, the pointer moves.',
      pathParameters: NoParametersSchema,
      queryParameters: NoParametersSchema,
      body: ProfileInUseChangeSchema,
      response: { schema: ProfileVersionSchema, description: 'The version now in use.' },
      problems: [400, 404],
      handle: async ({ body, caller }, deps) =>
        shown(
          await useProfileOverlayVersion(versionsOf(deps, '/profile/in-use'), body.version, {
            by: caller ?? 'api',
          }),
        ),
    }),
  ];
}

import { z } from 'zod';
import type { Store } from '#shared/store/store-ports.ts';
import { ResourceNotFoundError } from './api-errors.ts';
import {
  FeedListSchema,
  MatchDetailSchema,
  MatchIdParametersSchema,
  MatchListParametersSchema,
  MatchPageSchema,
  NoParametersSchema,
  ProfileSchema,
} from './api-schemas.ts';

/** What the routes read: three store methods, the profile, and the API's own description. */
export interface RouteDeps {
  store: Pick<Store, 'listMatches' | 'getMatch' | 'listFeedStates'>;
  profile: () => unknown;
  openApiDocument: () => object;
}

/** One route: what it accepts and returns (the router enforces both, the OpenAPI document shows both). */
export interface RouteDefinition {
  /** Path template in OpenAPI form, e.g. `/matches/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  pathParameters: z.ZodObject;
  queryParameters: z.ZodObject;
  response: { schema: z.ZodType; description: string };
  /** Error statuses the route can answer with, besides those every route shares. */
  problems: number[];
  handle(input: { path: unknown; query: unknown }, deps: RouteDeps): Promise<unknown>;
}

function defineRoute<P extends z.ZodObject, Q extends z.ZodObject>(route: {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  pathParameters: P;
  queryParameters: Q;
  response: { schema: z.ZodType; description: string };
  problems: number[];
  handle(input: { path: z.output<P>; query: z.output<Q> }, deps: RouteDeps): Promise<unknown>;
}): RouteDefinition {
  return route as unknown as RouteDefinition;
}

/** Methods every route answers; the API is read-only. */
export const ROUTE_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

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

/** The route whose template matches `path`, with the raw (still encoded) path parameter values. */
export function findRoute(
  path: string,
): { route: RouteDefinition; values: Record<string, string> } | undefined {
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
    if (matches) return { route, values };
  }
  return undefined;
}

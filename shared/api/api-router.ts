import { createFeedListService, type FeedListService } from '#shared/feeds/feed-list-service.ts';
import type { ProfileVersionDeps } from '#shared/profile/profile-versions.ts';
import { InvalidParameterError, MethodNotAllowedError, RouteNotFoundError } from './api-errors.ts';
import {
  API_ROUTES,
  type ApiStore,
  allowedMethods,
  findRoutes,
  type RouteDeps,
  StatusReply,
} from './api-routes.ts';
import type { ApiRequest, ApiResponse, ApiRouter } from './api-types.ts';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import { problemResponse } from './problem-response.ts';
import { parseJsonBody } from './request-body.ts';
import { parseParameters } from './request-parameters.ts';

export type { ApiRequest, ApiResponse } from './api-types.ts';

export interface ApiRouterDeps {
  store: ApiStore;
  /** The topic profile in use (its JSON, with `version`). */
  profile: () => unknown;
  /** The profile overlay's versions, for the routes that list and change them. */
  profileVersions?: ProfileVersionDeps;
  /**
   * The feed list's use cases. Default: over `store`, an empty list on a fresh store, feeds on
   * public addresses only.
   */
  feeds?: FeedListService;
  /** The clock "the last N days" are counted back from. Default: the system clock. */
  now?: () => Date;
  /** Browser origins allowed to call the API; `*` allows any. Default: none (no CORS headers). */
  corsOrigins?: string[];
  /** Receives one structured entry per failure, with the detail callers never see. */
  log?: (entry: object) => void;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The API, transport-neutral: routing, parameter validation, response shaping, CORS and error
 * mapping for every route. API Gateway's Lambda and the local HTTP server both call it.
 */
export function createApiRouter(deps: ApiRouterDeps): ApiRouter {
  const corsOrigins = deps.corsOrigins ?? [];
  let openApi: object | undefined;
  const routeDeps: RouteDeps = {
    store: deps.store,
    profile: deps.profile,
    profileVersions: deps.profileVersions,
    feeds:
      deps.feeds ??
      createFeedListService({
        store: deps.store,
        seed: async () => [],
        allowPrivateNetwork: false,
      }),
    now: deps.now ?? (() => new Date()),
    openApiDocument: () => {
      openApi ??= buildOpenApiDocument();
      return openApi;
    },
  };

  return async (request: ApiRequest): Promise<ApiResponse> => {
    const headers = lowerCaseKeys(request.headers);
    const method = request.method.toUpperCase();
    let response: ApiResponse;
    try {
      response = await dispatch(method, request, headers.origin);
    } catch (error) {
      response = problemResponse(error, {
        requestId: request.requestId,
        path: request.path,
        log: deps.log,
      });
    }
    return {
      status: response.status,
      headers: {
        ...corsHeaders(headers.origin, corsOrigins),
        ...response.headers,
        'x-request-id': request.requestId,
        'x-content-type-options': 'nosniff',
      },
      body: method === 'HEAD' ? '' : response.body,
    };
  };

  async function dispatch(
    method: string,
    request: ApiRequest,
    origin: string | undefined,
  ): Promise<ApiResponse> {
    const found = findRoutes(request.path || '/');
    if (!found) throw new RouteNotFoundError(describeUnknownPath(request.path));
    const allow = allowedMethods(found.routes);
    if (method === 'OPTIONS') {
      return {
        status: 204,
        headers: { allow: allow.join(', '), ...preflightHeaders(origin, corsOrigins, allow) },
        body: '',
      };
    }
    const route = found.routes.find(
      (candidate) => (candidate.method ?? 'GET') === (method === 'HEAD' ? 'GET' : method),
    );
    if (!route) throw new MethodNotAllowedError(method, allow);
    const path = parseParameters(route.pathParameters, decodePathValues(found.values));
    const query = parseParameters(route.queryParameters, request.query);
    const { body: input, json } = parseJsonBody(route.body, request);
    const result = await route.handle(
      { path, query, body: input, json, caller: request.caller },
      routeDeps,
    );
    // Parsing the result strips whatever the response schema does not promise (e.g. the
    // explanation from listed matches), so responses are exactly what the document says.
    const reply =
      result instanceof StatusReply ? result : new StatusReply(route.status ?? 200, result);
    const value = route.response.schema.parse(reply.value);
    if (reply.status === 204)
      return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
    return {
      status: reply.status,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store' },
      body: JSON.stringify(value),
    };
  }
}

function describeUnknownPath(path: string): string {
  return `${path || '/'}; the routes are ${[...new Set(API_ROUTES.map((route) => route.path))].join(', ')}`;
}

function decodePathValues(values: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new InvalidParameterError([
        { parameter: name, message: 'is not valid percent-encoding' },
      ]);
    }
  }
  return decoded;
}

function lowerCaseKeys(headers: ApiRequest['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

import { createFeedListService, type FeedListService } from '#shared/feeds/feed-list-service.ts';
import { InvalidParameterError, MethodNotAllowedError, RouteNotFoundError } from './api-errors.ts';
import {
  API_ROUTES,
  type ApiStore,
  allowedMethods,
  findRoutes,
  type RouteDeps,
} from './api-routes.ts';
import type { ApiRequest, ApiResponse, ApiRouter } from './api-types.ts';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import { problemResponse } from './problem-response.ts';
import { parseJsonBody, refuseBody } from './request-body.ts';
import { parseParameters } from './request-parameters.ts';

export type { ApiRequest, ApiResponse } from './api-types.ts';

export interface ApiRouterDeps {
  store: ApiStore;
  /** The topic profile in use (its JSON, with `version`). */
  profile: () => unknown;
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
    now: deps.now ?? (() => new Date()),
    feeds:
      deps.feeds ??
      createFeedListService({
        store: deps.store,
        seed: async () => [],
        allowPrivateNetwork: false,
      }),
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
    const candidates = findRoutes(request.path || '/');
    if (candidates.length === 0) throw new RouteNotFoundError(describeUnknownPath(request.path));
    const allow = allowedMethods(candidates.map((candidate) => candidate.route));
    if (method === 'OPTIONS') {
      return {
        status: 204,
        headers: { allow: allow.join(', '), ...preflightHeaders(origin, corsOrigins, allow) },
        body: '',
      };
    }
    const wanted = method === 'HEAD' ? 'GET' : method;
    const found = candidates.find((candidate) => (candidate.route.method ?? 'GET') === wanted);
    if (!found) throw new MethodNotAllowedError(method, allow);
    const { route } = found;
    const path = parseParameters(route.pathParameters, decodePathValues(found.values));
    const query = parseParameters(route.queryParameters, request.query);
    const headers = lowerCaseKeys(request.headers);
    let input: unknown;
    if (route.body) input = parseJsonBody(route.body, request.body, headers['content-type']);
    else refuseBody(request.body);
    const result = await route.handle({ path, query, body: input }, routeDeps);
    const status = route.response.status ?? 200;
    if (status === 204) return { status, headers: { 'cache-control': 'no-store' }, body: '' };
    // Parsing the result strips whatever the response schema does not promise (e.g. the
    // explanation from listed matches), so responses are exactly what the document says.
    const body = route.response.schema.parse(result);
    return {
      status,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store' },
      body: JSON.stringify(body),
    };
  }
}

function describeUnknownPath(path: string): string {
  const paths = new Set(API_ROUTES.map((route) => route.path));
  return `${path || '/'}; the routes are ${[...paths].join(', ')}`;
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

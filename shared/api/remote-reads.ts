import type { z } from 'zod';
import { cleanText } from '#shared/feeds/text-clean.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import type { MatchQuery } from '#shared/store/match-schema.ts';
import { MatchPageSchema, ProfileSchema } from './api-schemas.ts';
import type { ApiRouter } from './api-types.ts';
import { requireJsonContentType } from './request-body.ts';
import { type RemoteApi, RemoteApiError, type RemoteResponse } from './signed-api-client.ts';

export type MatchSummaryPage = z.output<typeof MatchPageSchema>;

/** Reads match pages from the deployed API, as the local store's `listMatches` does. */
export function remoteMatchReader(api: RemoteApi): {
  listMatches(query: MatchQuery): Promise<MatchSummaryPage>;
} {
  return {
    async listMatches(query) {
      const response = await api.send({
        method: 'GET',
        path: '/matches',
        // The store's query names are the API's parameter names.
        query: Object.fromEntries(
          Object.entries(query).map(([name, value]) => [
            name,
            value === undefined ? undefined : String(value),
          ]),
        ),
      });
      return parseBody(api, response, MatchPageSchema);
    },
  };
}

/** The profile the deployed functions use. */
export async function fetchRemoteProfile(api: RemoteApi): Promise<TopicProfile> {
  return parseBody(api, await api.send({ method: 'GET', path: '/profile' }), ProfileSchema);
}

/**
 * A router that answers every request from the deployed API, signed on the caller's behalf, so
 * the local server (and whatever talks to it) reaches the cloud's data unchanged.
 */
export function createRemoteRouter(api: RemoteApi): ApiRouter {
  return async (request) => {
    // Signed requests carry the body as JSON: anything else is refused here, as the API would.
    if (request.body) requireJsonContentType(request.headers['content-type']);
    const response = await api.send({
      method: request.method,
      path: request.path,
      query: request.query,
      ...(request.body ? { body: request.body } : {}),
    });
    return {
      status: response.status,
      headers: {
        'content-type': response.contentType || 'application/json',
        'x-request-id': request.requestId,
        'x-content-type-options': 'nosniff',
      },
      body: response.body,
    };
  };
}

/** The API's answer parsed with `schema`; any status but 2xx is an error naming the problem. */
export function parseBody<T extends z.ZodType>(
  api: RemoteApi,
  response: RemoteResponse,
  schema: T,
): z.output<T> {
  if (response.status < 200 || response.status > 299) {
    throw new RemoteApiError(
      `the API at ${api.baseUrl} answered HTTP ${response.status}: ${problemDetail(response.body)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new RemoteApiError(`the API at ${api.baseUrl} answered with something other than JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new RemoteApiError(
      `the API at ${api.baseUrl} answered in an unexpected shape (is it a newswatch API of this version?): ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  return parsed.data;
}

/** The problem's detail, or the start of whatever came back, cleaned for the terminal. */
export function problemDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; message?: unknown };
    const detail = parsed.detail ?? parsed.message;
    if (typeof detail === 'string') return cleanText(detail.slice(0, 500));
  } catch {
    // not JSON: show the raw start
  }
  return cleanText(body.slice(0, 200)) || '(empty body)';
}

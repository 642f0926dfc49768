import type { z } from 'zod';
import { canonicalUrl } from '#shared/feeds/canonical-url.ts';
import {
  DuplicateFeedError,
  FeedInputError,
  FeedNotListedError,
} from '#shared/feeds/feed-list-errors.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { FeedHealthSchema, FeedListSchema, ProblemSchema } from './api-schemas.ts';
import { parseBody, problemDetail } from './remote-reads.ts';
import { type RemoteApi, RemoteApiError, type RemoteResponse } from './signed-api-client.ts';

export type FeedHealth = z.output<typeof FeedHealthSchema>;

/** The deployed feed list, edited through `GET/POST /feeds` and `DELETE /feeds/{id}`. */
export interface RemoteFeedList {
  list(): Promise<FeedHealth[]>;
  add(feed: FeedSpec): Promise<FeedHealth>;
  /** Removes the feed with this id, or with this URL (compared canonically). */
  remove(idOrUrl: string): Promise<FeedHealth>;
}

export function remoteFeedList(api: RemoteApi): RemoteFeedList {
  const list = async (): Promise<FeedHealth[]> =>
    parseBody(api, await api.send({ method: 'GET', path: '/feeds' }), FeedListSchema).items;
  return {
    list,
    async add(feed) {
      const response = await api.send({
        method: 'POST',
        path: '/feeds',
        body: JSON.stringify(feed),
      });
      if (response.status === 409) {
        throw new DuplicateFeedError(feed.url, problemDetail(response.body));
      }
      if (response.status === 400) throw inputError(response);
      return parseBody(api, response, FeedHealthSchema);
    },
    async remove(idOrUrl) {
      const key = canonicalUrl(idOrUrl);
      const feed = (await list()).find((candidate) =>
        key === undefined ? candidate.feedId === idOrUrl : canonicalUrl(candidate.url) === key,
      );
      if (!feed) throw new FeedNotListedError(idOrUrl);
      const response = await api.send({
        method: 'DELETE',
        path: `/feeds/${encodeURIComponent(feed.feedId)}`,
      });
      if (response.status === 404) throw new FeedNotListedError(idOrUrl);
      if (response.status !== 204) {
        throw new RemoteApiError(
          `the API at ${api.baseUrl} answered HTTP ${response.status}: ${problemDetail(response.body)}`,
        );
      }
      return feed;
    },
  };
}

/** A 400 problem as the fields it names, as the local service reports them. */
function inputError(response: RemoteResponse): FeedInputError {
  let parsed: z.output<typeof ProblemSchema> | undefined;
  try {
    parsed = ProblemSchema.safeParse(JSON.parse(response.body)).data;
  } catch {
    // not JSON: the detail below says what came back
  }
  const problems = parsed?.errors?.map((error) => ({
    field: error.parameter.replace(/^body\./, ''),
    message: error.message,
  }));
  return new FeedInputError(
    problems?.length ? problems : [{ field: 'feed', message: problemDetail(response.body) }],
  );
}

import { FeedHealthSchema, FeedListSchema } from '#shared/api/api-schemas.ts';
import { feedListing } from '#shared/api/feed-listing.ts';
import { type FeedHealth, remoteFeedList } from '#shared/api/remote-feeds.ts';
import type { RemoteApi } from '#shared/api/signed-api-client.ts';
import { DuplicateFeedError, FeedInputError } from '#shared/feeds/feed-list-errors.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedImport, FeedListService } from '#shared/feeds/feed-list-service.ts';
import type { FeedStateStore } from '#shared/store/store-ports.ts';

/** The feed list as `newswatch feeds` edits it, locally or deployed, with the same results. */
export interface FeedListClient {
  /** Every listed feed with its health, by name: what `GET /feeds` answers. */
  list(): Promise<FeedHealth[]>;
  add(feed: FeedSpec): Promise<FeedHealth>;
  remove(idOrUrl: string): Promise<{ feedId: string; url: string }>;
  importFeeds(feeds: readonly FeedSpec[]): Promise<
    Pick<FeedImport, 'duplicates' | 'refused'> & {
      added: { feedId: string; url: string }[];
    }
  >;
}

/** The local store's feed list, shown as the API shows it. */
export function localFeedListClient(
  service: FeedListService,
  states: Pick<FeedStateStore, 'listFeedStates'>,
): FeedListClient {
  return {
    list: async () =>
      FeedListSchema.parse({
        items: feedListing(await service.list(), await states.listFeedStates()),
      }).items,
    add: async (feed) => FeedHealthSchema.parse(feedListing([await service.add(feed)], [])[0]),
    remove: (idOrUrl) => service.remove(idOrUrl),
    importFeeds: (feeds) => service.importFeeds(feeds),
  };
}

/** The deployed feed list, through the signed API; an import adds the feeds one request each. */
export function remoteFeedListClient(api: RemoteApi): FeedListClient {
  const remote = remoteFeedList(api);
  return {
    list: () => remote.list(),
    add: (feed) => remote.add(feed),
    remove: (idOrUrl) => remote.remove(idOrUrl),
    async importFeeds(feeds) {
      const result: Awaited<ReturnType<FeedListClient['importFeeds']>> = {
        added: [],
        duplicates: [],
        refused: [],
      };
      for (const feed of feeds) {
        try {
          result.added.push(await remote.add(feed));
        } catch (error) {
          if (error instanceof DuplicateFeedError) result.duplicates.push({ url: feed.url });
          else if (error instanceof FeedInputError) {
            result.refused.push({ url: feed.url, reason: error.message });
          } else throw error;
        }
      }
      return result;
    },
  };
}

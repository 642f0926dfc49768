import type { Config } from '#shared/config/config-schema.ts';
import { createFeedListService, type FeedListService } from '#shared/feeds/feed-list-service.ts';
import { loadFeedList } from '#shared/feeds/load-feed-list.ts';
import type { FeedListStore } from '#shared/store/store-ports.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/**
 * The feed list of the local store, seeded from `feedsFile` (seeds/feeds.json unless configured)
 * the first time a store is used; a bad feed list file is the user's to fix (exit 2).
 */
export function localFeedList(
  config: Config,
  store: FeedListStore,
  onSeed: () => void = () => {},
): FeedListService {
  return createFeedListService({
    store,
    seed: async () => {
      onSeed();
      try {
        return await loadFeedList(config.feedsFile);
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.Usage);
      }
    },
    allowPrivateNetwork: config.fetch.allowPrivateNetwork,
  });
}

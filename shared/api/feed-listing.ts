import type { ListedFeed } from '#shared/feeds/listed-feed.ts';
import { type FeedState, FeedStateSchema } from '#shared/store/feed-state-schema.ts';

/**
 * The listed feeds, in the list's order, each with its state (a feed never polled gets the state of
 * a new one). States of feeds no longer listed are left out.
 */
export function feedListing(
  listed: readonly ListedFeed[],
  states: readonly FeedState[],
): (FeedState & Pick<ListedFeed, 'tags' | 'addedAt'>)[] {
  const byId = new Map(states.map((state) => [state.feedId, state]));
  return listed.map((feed) => ({
    ...(byId.get(feed.feedId) ?? FeedStateSchema.parse({ feedId: feed.feedId, url: feed.url })),
    feedId: feed.feedId,
    url: feed.url,
    name: feed.name,
    tags: feed.tags,
    addedAt: feed.addedAt,
  }));
}

import { feedIdFor } from '#shared/feeds/feed-id.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedStateStore } from '#shared/store/store-ports.ts';
import { mayPollNow } from './feed-health.ts';

/** A schedule tick arrives a little early or late; a feed polled one tick ago is due again. */
const SCHEDULE_SLACK_MS = 60_000;

/** The feeds a scheduled sweep should poll now: not disabled, not backing off, interval elapsed. */
export async function planDueFeeds(
  feeds: FeedSpec[],
  store: Pick<FeedStateStore, 'listFeedStates'>,
  intervalMinutes: number,
  now: Date,
): Promise<FeedSpec[]> {
  const states = new Map((await store.listFeedStates()).map((state) => [state.feedId, state]));
  const intervalMs = intervalMinutes * 60_000;
  return feeds.filter((feed) => {
    const state = states.get(feedIdFor(feed.url));
    if (!state) return true;
    if (!mayPollNow(state, now)) return false;
    if (!state.lastFetchAt) return true;
    return now.getTime() - Date.parse(state.lastFetchAt) >= intervalMs - SCHEDULE_SLACK_MS;
  });
}

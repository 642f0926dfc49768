import type { FeedState } from '#shared/store/feed-state-schema.ts';
import type { FeedStateStore } from '#shared/store/store-ports.ts';

/** States written in one batch request (DynamoDB's BatchWriteItem limit). */
const FLUSH_AT = 25;

/** Writes the book could not make; the feeds it names are polled again next time. */
export class FeedStatesNotSavedError extends Error {
  override readonly name = 'FeedStatesNotSavedError';
  constructor(
    readonly feedIds: string[],
    cause: unknown,
  ) {
    super(
      `could not save the state of ${feedIds.length} feed(s): ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
}

type BookStore = Pick<FeedStateStore, 'getFeedStates' | 'putFeedStates'>;

/**
 * The feed states of one sweep: read in batches before the polls and written in batches of 25
 * behind them, where each poll would read and write its own (a sweep of 1,000 unchanged feeds
 * sends 10 requests instead of 1,000). It serves the polls as their FeedStateStore. A feed's
 * state (with its item digests) is recorded only once its matches are stored, so it is never saved
 * ahead of them; a state not yet written when the process dies only means that feed is polled as
 * before next time.
 */
export class FeedStateBook implements BookStore {
  private readonly states = new Map<string, FeedState>();
  /** Feeds already looked up, found or not, so a feed never polled is not asked for again. */
  private readonly looked = new Set<string>();
  private readonly unsaved = new Map<string, FeedState>();

  constructor(private readonly store: BookStore) {}

  /** Reads the states of these feeds that the book does not hold yet. */
  async load(feedIds: string[]): Promise<void> {
    const missing = [...new Set(feedIds)].filter((feedId) => !this.looked.has(feedId));
    if (missing.length === 0) return;
    for (const state of await this.store.getFeedStates(missing)) {
      this.states.set(state.feedId, state);
    }
    for (const feedId of missing) this.looked.add(feedId);
  }

  /** The latest states of these feeds, recorded in this sweep or as stored, reading the others. */
  async getFeedStates(feedIds: string[]): Promise<FeedState[]> {
    await this.load(feedIds);
    return feedIds.flatMap((feedId) => this.states.get(feedId) ?? []);
  }

  /** Keeps the feeds' new states and writes a batch once enough have gathered. */
  async putFeedStates(states: FeedState[]): Promise<void> {
    for (const state of states) {
      this.states.set(state.feedId, state);
      this.unsaved.set(state.feedId, state);
    }
    if (this.unsaved.size >= FLUSH_AT) await this.flush();
  }

  /** Writes the states not written yet; on failure they stay for the next flush. */
  async flush(): Promise<void> {
    const states = [...this.unsaved.values()];
    if (states.length === 0) return;
    this.unsaved.clear();
    try {
      await this.store.putFeedStates(states);
    } catch (error) {
      this.keepUnsaved(states);
      throw new FeedStatesNotSavedError(
        states.map((state) => state.feedId),
        error,
      );
    }
  }

  /** Feeds whose latest state is not written yet. */
  unsavedFeedIds(): string[] {
    return [...this.unsaved.keys()];
  }

  private keepUnsaved(states: FeedState[]): void {
    for (const state of states) {
      if (!this.unsaved.has(state.feedId)) this.unsaved.set(state.feedId, state);
    }
  }
}

import type { FeedState } from '#shared/store/feed-state-schema.ts';
import type { Match } from '#shared/store/match-schema.ts';
import type { FeedStateStore, LedgerEntry, MatchBatches } from '#shared/store/store-ports.ts';

/** States written in one batch request (DynamoDB's BatchWriteItem limit). */
const FLUSH_AT = 25;
/** Matches whose index writes wait before a flush: about ten BatchWrite-fulls of items. */
const INDEX_FLUSH_AT = 30;

/** A poll's index work: written match items still to index, and ledger marks. */
export interface PendingIndex {
  matches: Match[];
  unfinished: Match[];
  seen: LedgerEntry[];
}

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

type BookStore = Pick<FeedStateStore, 'getFeedStates' | 'putFeedStates'> &
  Pick<MatchBatches, 'indexMatches'>;

/**
 * What one sweep writes behind its polls: the feed states, read in batches before the polls and
 * written in batches of 25, and the index items and ledger marks of the matches the polls wrote,
 * gathered across feeds into full batches. A flush writes the index work before the states, so a
 * feed's state (with its item digests) is never saved ahead of its matches' index; anything not
 * yet written when the process dies only means those feeds are polled as before next time, and a
 * match left unindexed is finished by the next check that finds it (`unfinished`).
 */
export class FeedStateBook {
  private readonly states = new Map<string, FeedState>();
  /** Feeds already looked up, found or not, so a feed never polled is not asked for again. */
  private readonly looked = new Set<string>();
  private readonly unsaved = new Map<string, FeedState>();
  private pendingIndex: { feedId: string; index: PendingIndex }[] = [];
  private pendingMatches = 0;

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

  /** The latest state of a feed: recorded in this sweep, or as stored. */
  get(feedId: string): FeedState | undefined {
    return this.states.get(feedId);
  }

  /** Keeps a feed's new state and writes a batch once enough have gathered. */
  async record(state: FeedState): Promise<void> {
    this.states.set(state.feedId, state);
    this.unsaved.set(state.feedId, state);
    if (this.unsaved.size >= FLUSH_AT) await this.flush();
  }

  /** Keeps the index work of matches a poll has written; called before that feed's state. */
  async recordIndex(feedId: string, index: PendingIndex): Promise<void> {
    if (index.matches.length + index.unfinished.length + index.seen.length === 0) return;
    this.pendingIndex.push({ feedId, index });
    this.pendingMatches += index.matches.length + index.unfinished.length;
    if (this.pendingMatches >= INDEX_FLUSH_AT) await this.flush();
  }

  /** Writes the index work, then the states; on failure what was not written stays for the next flush. */
  async flush(): Promise<void> {
    const index = this.pendingIndex;
    const states = [...this.unsaved.values()];
    if (index.length === 0 && states.length === 0) return;
    this.pendingIndex = [];
    this.pendingMatches = 0;
    this.unsaved.clear();
    try {
      if (index.length > 0) {
        await this.store.indexMatches(
          index.flatMap(({ index: work }) => work.matches),
          index.flatMap(({ index: work }) => work.unfinished),
          index.flatMap(({ index: work }) => work.seen),
        );
      }
    } catch (error) {
      this.pendingIndex = [...index, ...this.pendingIndex];
      this.pendingMatches += index.reduce(
        (sum, { index: work }) => sum + work.matches.length + work.unfinished.length,
        0,
      );
      this.keepUnsaved(states);
      throw new FeedStatesNotSavedError(
        [...new Set([...index.map((entry) => entry.feedId), ...states.map((s) => s.feedId)])],
        error,
      );
    }
    try {
      if (states.length > 0) await this.store.putFeedStates(states);
    } catch (error) {
      this.keepUnsaved(states);
      throw new FeedStatesNotSavedError(
        states.map((state) => state.feedId),
        error,
      );
    }
  }

  /** Feeds whose latest state or index work is not written yet. */
  unsavedFeedIds(): string[] {
    return [
      ...new Set([...this.pendingIndex.map((entry) => entry.feedId), ...this.unsaved.keys()]),
    ];
  }

  private keepUnsaved(states: FeedState[]): void {
    for (const state of states) {
      if (!this.unsaved.has(state.feedId)) this.unsaved.set(state.feedId, state);
    }
  }
}

import type { Match } from '#shared/store/match-schema.ts';
import type { LedgerEntry, MatchBatches } from '#shared/store/store-ports.ts';
import type { StoryAssigner } from './story-assigner.ts';

/** Matched items that wait before a flush: a few full BatchWrites of matches and their index items. */
export const MATCH_FLUSH_AT = 60;
/** Flushes written or waiting to be, beyond which polls wait for the store to catch up. */
const MAX_QUEUED_FLUSHES = 2;

/** A matching item of a poll, to be stored unless an earlier poll or feed stored it. */
export interface MatchCandidate {
  entry: LedgerEntry;
  /** The match to store once it is known to be new (assigns its story). */
  build: () => Promise<Match>;
}

interface PendingPoll {
  candidates: MatchCandidate[];
  resolve: (matches: Match[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The matches of many polls checked and stored together: one read of the ledger for all of them,
 * their stories assigned in poll order, then the match items with their story members and their
 * index items and ledger marks, in full batches. Each request costs the client far more CPU than
 * the items in it, so polls that each have a match or two share requests instead of making their
 * own. A batch that fails is stored again poll by poll, so one poll whose write cannot succeed
 * fails alone. Flushes run one after another, so a flush takes only the story members it assigned.
 */
export class MatchBatch {
  private pending: PendingPoll[] = [];
  private pendingCandidates = 0;
  private flushing: Promise<void> = Promise.resolve();
  private queuedFlushes = 0;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly store: MatchBatches,
    private readonly stories: StoryAssigner,
    private readonly flushAt = MATCH_FLUSH_AT,
  ) {}

  /**
   * Queues a poll's matching items (in feed order); resolves with the matches stored for it, in
   * feed order, once its batch is written, or rejects with the store's error.
   */
  add(candidates: MatchCandidate[]): Promise<Match[]> {
    if (candidates.length === 0) return Promise.resolve([]);
    const stored = new Promise<Match[]>((resolve, reject) => {
      this.pending.push({ candidates, resolve, reject });
    });
    this.pendingCandidates += candidates.length;
    if (this.pendingCandidates >= this.flushAt) void this.flush();
    return stored;
  }

  /** Stores everything queued so far; per-poll outcomes go to the promises `add` returned. */
  flush(): Promise<void> {
    const polls = this.pending;
    this.pending = [];
    this.pendingCandidates = 0;
    if (polls.length > 0) {
      this.queuedFlushes++;
      this.flushing = this.flushing
        .then(() => this.storeIsolated(polls))
        .finally(() => {
          this.queuedFlushes--;
          for (const wake of this.waiting.splice(0)) wake();
        });
    }
    return this.flushing;
  }

  /**
   * Resolves once the store has caught up (fewer than MAX_QUEUED_FLUSHES flushes queued). Polls
   * wait on it, so a store slower than the feeds holds the polling back instead of a backlog of
   * matches growing with the number of feeds.
   */
  async caughtUp(): Promise<void> {
    while (this.queuedFlushes >= MAX_QUEUED_FLUSHES) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private async storeIsolated(polls: PendingPoll[]): Promise<void> {
    try {
      const stored = await this.storeTogether(polls);
      for (const [index, poll] of polls.entries()) poll.resolve(stored[index] ?? []);
      return;
    } catch (error) {
      if (polls.length === 1) {
        polls[0]?.reject(error);
        return;
      }
    }
    for (const poll of polls) {
      try {
        poll.resolve((await this.storeTogether([poll]))[0] ?? []);
      } catch (error) {
        poll.reject(error);
      }
    }
  }

  /**
   * One check, then the new matches built and written with their members, then indexed. An item
   * that two polls of the batch share (same id or a shared dedupe key) is stored for the first.
   */
  private async storeTogether(polls: PendingPoll[]): Promise<Match[][]> {
    const { fresh, unfinished } = await this.store.checkNewMatches(
      polls.flatMap((poll) => poll.candidates.map((candidate) => candidate.entry)),
    );
    const finished = new Set(unfinished.map((match) => match.id));
    const claimed = new Set<string>();
    const seen: LedgerEntry[] = [];
    const stored: Match[][] = [];
    for (const poll of polls) {
      const matches: Match[] = [];
      for (const { entry, build } of poll.candidates) {
        const taken = claimed.has(entry.itemId) || entry.keys.some((key) => claimed.has(key));
        if (!taken && fresh.has(entry.itemId)) {
          matches.push(await build());
          seen.push(entry);
        } else if (!taken && finished.has(entry.itemId)) {
          seen.push(entry);
        }
        claimed.add(entry.itemId);
        for (const key of entry.keys) claimed.add(key);
      }
      stored.push(matches);
    }
    const written = stored.flat();
    // Members of other matches (given back by a failed batch and written again poll by poll)
    // stay with the assigner for their own poll's write.
    const members = this.stories.takeMembers?.(new Set(written.map((match) => match.id))) ?? [];
    try {
      await this.store.writeMatches(written, members);
    } catch (error) {
      this.stories.returnMembers?.(members);
      throw error;
    }
    const toFinish = [...new Map(unfinished.map((match) => [match.id, match])).values()];
    await this.store.indexMatches(written, toFinish, seen);
    return stored;
  }
}

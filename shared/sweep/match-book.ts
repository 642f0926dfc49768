import type { Match } from '#shared/store/match-schema.ts';
import type { LedgerEntry, MatchBatches, StorySignature } from '#shared/store/store-ports.ts';

/** Candidates that fill a batch: a few full BatchWrites of matches and what goes with them. */
const FLUSH_AT = 100;

/** A matching item of a poll, stored unless an earlier poll or another feed stored it. */
export interface MatchCandidate {
  entry: LedgerEntry;
  /** The match to store once it is known to be new, with its story member (assigns its story). */
  build: () => Promise<{ match: Match; member: StorySignature }>;
}

interface WaitingPoll {
  candidates: MatchCandidate[];
  resolve: (matches: Match[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The matches of a sweep's polls, checked and stored in batches across feeds, where each poll
 * would send its own requests: a request costs the client far more CPU than the items in it. A
 * batch is one read of the ledger keys and match items; then the new matches, built in poll order
 * (so a story's copies from several feeds find each other), written with their story members;
 * then their index items and, last, their ledger marks. Batches are written one after another,
 * so each sees the marks of those before it. A batch that fails is stored again poll by poll, so
 * a poll whose matches cannot be stored fails alone.
 */
export class MatchBook {
  private waiting: WaitingPoll[] = [];
  private candidates = 0;
  private written: Promise<void> = Promise.resolve();

  constructor(private readonly store: MatchBatches) {}

  /**
   * Keeps a poll's candidates (in feed order) for the next batch; resolves with the matches stored
   * for them once it is written, or rejects with the store's error.
   */
  add(candidates: MatchCandidate[]): Promise<Match[]> {
    if (candidates.length === 0) return Promise.resolve([]);
    this.candidates += candidates.length;
    return new Promise((resolve, reject) => this.waiting.push({ candidates, resolve, reject }));
  }

  /** Whether enough candidates wait to fill a batch. */
  get full(): boolean {
    return this.candidates >= FLUSH_AT;
  }

  /**
   * Writes the waiting candidates as one batch, after the batches before it; resolves once all
   * are written. Each poll learns its own outcome from `add`.
   */
  flush(): Promise<void> {
    const polls = this.waiting;
    this.waiting = [];
    this.candidates = 0;
    if (polls.length > 0) this.written = this.written.then(() => this.storeApart(polls));
    return this.written;
  }

  /** Stores the polls together; when that fails, each on its own. */
  private async storeApart(polls: WaitingPoll[]): Promise<void> {
    try {
      const stored = await this.storeTogether(polls);
      for (const [index, poll] of polls.entries()) poll.resolve(stored[index] ?? []);
    } catch (error) {
      if (polls.length === 1) polls[0]?.reject(error);
      else for (const poll of polls) await this.storeApart([poll]);
    }
  }

  /**
   * One check, then the new matches built and stored with their members, indexed and marked. A
   * match stored without its marks (a write cut short) is finished. An item that two candidates
   * share (same id or a shared dedupe key) is stored for the first.
   */
  private async storeTogether(polls: WaitingPoll[]): Promise<Match[][]> {
    const { fresh, unfinished } = await this.store.checkNewMatches(
      polls.flatMap((poll) => poll.candidates.map((candidate) => candidate.entry)),
    );
    const finished = new Set(unfinished.map((match) => match.id));
    const claimed = new Set<string>();
    const seen: LedgerEntry[] = [];
    const members: StorySignature[] = [];
    const stored: Match[][] = [];
    for (const poll of polls) {
      const matches: Match[] = [];
      for (const { entry, build } of poll.candidates) {
        const taken = claimed.has(entry.itemId) || entry.keys.some((key) => claimed.has(key));
        if (!taken && fresh.has(entry.itemId)) {
          const { match, member } = await build();
          matches.push(match);
          members.push(member);
          seen.push(entry);
        } else if (!taken && finished.has(entry.itemId)) {
          seen.push(entry);
        }
        claimed.add(entry.itemId);
        for (const key of entry.keys) claimed.add(key);
      }
      stored.push(matches);
    }
    const toFinish = [...new Map(unfinished.map((match) => [match.id, match])).values()];
    await this.store.storeMatches(stored.flat(), toFinish, seen, members);
    return stored;
  }
}

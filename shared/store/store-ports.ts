import type { FeedState } from './feed-state-schema.ts';
import type { Match, MatchPage, MatchQuery, StoryMember } from './match-schema.ts';

/** Matches: written once per item, read by id and by query, newest first. */
export interface MatchStore {
  /** Conditional insert: 'exists' (not an error) when a match with this id is already stored. */
  putMatch(match: Match): Promise<'created' | 'exists'>;
  /**
   * Stores many matches with batched requests: 'exists' for those already stored (their index
   * items are rewritten, which repairs a half-finished earlier write). Unlike putMatch, two
   * writers racing on one new id may both answer 'created'; the alert ledger still sends once.
   */
  putMatches(matches: Match[]): Promise<('created' | 'exists')[]>;
  getMatch(id: string): Promise<Match | undefined>;
  /** One bounded page, served by keys and indexes, never a scan. */
  listMatches(query: MatchQuery): Promise<MatchPage>;
  markAlerted(matchId: string, alertedAt: string): Promise<void>;
}

export interface LedgerEntry {
  itemId: string;
  keys: string[];
}

/** The seen-item ledger, so an item is processed once across polls and feeds. */
export interface SeenLedger {
  /** Ids of the entries none of whose keys have been seen. */
  filterUnseen(entries: LedgerEntry[]): Promise<Set<string>>;
  /** Records every key; entries expire after the ledger retention. */
  markSeen(entries: LedgerEntry[]): Promise<void>;
}

export interface FeedStateStore {
  getFeedState(feedId: string): Promise<FeedState | undefined>;
  putFeedState(state: FeedState): Promise<void>;
  /** The stored states of these feeds (batched reads); feeds never polled are absent. */
  getFeedStates(feedIds: string[]): Promise<FeedState[]>;
  /** Replaces the states of many feeds (batched writes). */
  putFeedStates(states: FeedState[]): Promise<void>;
  listFeedStates(): Promise<FeedState[]>;
}

/** A story's fingerprint, kept so later copies of the story can find it. */
export interface StorySignature extends StoryMember {
  storyId: string;
  /** Near-duplicate signature (hex), e.g. SimHash or MinHash of title and summary. */
  signature: string;
  storedAt: string;
}

export interface StoryIndex {
  /** Signatures stored since the given time, newest first, at most `limit`. */
  recentSignatures(sinceIso: string, limit: number): Promise<StorySignature[]>;
  /** Adds a match to its story (a new story when it is the first member). */
  addStoryMember(signature: StorySignature): Promise<void>;
  /** Every member of a story, first reported first. */
  storyMembers(storyId: string): Promise<StoryMember[]>;
}

/** Story members written in batches (a sweep writes a feed's members at once). */
export interface StoryMemberBatches {
  /** Adds many matches to their stories with batched writes. */
  addStoryMembers(signatures: StorySignature[]): Promise<void>;
}

export type AlertClaim = 'claimed' | 'already-sent' | 'in-flight';

/** Which stories were alerted, so an alert is sent once even when retried or raced. */
export interface AlertLedger {
  /** Takes a lease on alerting this story; a lease older than `leaseSeconds` can be retaken. */
  claimAlert(storyId: string, matchId: string, leaseSeconds: number): Promise<AlertClaim>;
  /** Records that the alert went out (idempotent). */
  markAlertSent(
    storyId: string,
    matchId: string,
    sentAt: string,
    messageId?: string,
  ): Promise<void>;
  /** Gives a claimed lease back after a failed publish, so a retry can take it. */
  releaseAlert(storyId: string): Promise<void>;
  /** Alerts sent since the given time (for the per-hour cap). */
  countAlertsSince(sinceIso: string): Promise<number>;
}

export interface DigestEntry {
  storyId: string;
  matchId: string;
  queuedAt: string;
}

/** Alert-worthy matches held back by the caps or by digest mode, for the next digest. */
export interface DigestQueue {
  enqueueDigest(entry: DigestEntry): Promise<void>;
  /** Removes and returns up to `limit` entries, oldest first. */
  takeDigest(limit: number): Promise<DigestEntry[]>;
}

/** Everything the sweep, the alerts and the API need from storage. */
export interface Store
  extends MatchStore,
    SeenLedger,
    FeedStateStore,
    StoryIndex,
    StoryMemberBatches,
    AlertLedger,
    DigestQueue {}

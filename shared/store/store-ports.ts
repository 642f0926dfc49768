import type { ListedFeed } from '#shared/feeds/listed-feed.ts';
import type { FeedState } from './feed-state-schema.ts';
import type { Feedback, FeedbackPage } from './feedback-schema.ts';
import type { Match, MatchPage, MatchQuery, StoryMember } from './match-schema.ts';

/** Matches: read by id and by query, newest first (written through MatchBatches). */
export interface MatchStore {
  getMatch(id: string): Promise<Match | undefined>;
  /** One bounded page, served by keys and indexes, never a scan. */
  listMatches(query: MatchQuery): Promise<MatchPage>;
  markAlerted(matchId: string, alertedAt: string): Promise<void>;
}

/** An item's entry in the seen ledger, so a match is stored once across polls and feeds. */
export interface LedgerEntry {
  itemId: string;
  keys: string[];
}

/** The outcome of checking a batch of matches against the ledger and the stored matches. */
export interface NewMatchCheck {
  /** Ids of the entries none of whose keys were seen and whose match is not stored. */
  fresh: Set<string>;
  /** Stored matches whose ledger marks are missing: a write cut short, to be finished. */
  unfinished: Match[];
}

/**
 * A batch of matches checked and stored: one read of their ledger keys and match items, then the
 * match items, their index items and, last, their ledger marks. Two writers racing on one new
 * item both write it; the item is keyed by id, so one remains, and the alert ledger still alerts
 * once.
 */
export interface MatchBatches {
  /** One batched read of the entries' ledger keys and match items. */
  checkNewMatches(entries: LedgerEntry[]): Promise<NewMatchCheck>;
  /**
   * Writes the new matches with their story members (one summary update per story), then their
   * index items (and those of `unfinished`, stored matches whose write was cut short), then the
   * ledger marks of `seen`.
   */
  storeMatches(
    matches: Match[],
    unfinished: Match[],
    seen: LedgerEntry[],
    members?: StorySignature[],
  ): Promise<void>;
}

export interface FeedStateStore {
  /** The stored states of these feeds (batched reads); feeds never polled are absent. */
  getFeedStates(feedIds: string[]): Promise<FeedState[]>;
  /** Replaces the states of many feeds (batched writes). */
  putFeedStates(states: FeedState[]): Promise<void>;
  listFeedStates(): Promise<FeedState[]>;
}

/** The feeds to poll, as users edit them at run time. */
export interface FeedListStore {
  /** The listed feeds, or undefined when no list was ever stored (a fresh store, to seed). */
  readFeedList(): Promise<ListedFeed[] | undefined>;
  /** Stores the first list and marks the store seeded; false when another writer seeded it first. */
  seedFeedList(feeds: ListedFeed[]): Promise<boolean>;
  /** Adds a feed unless its id is listed; false when it was. */
  addListedFeed(feed: ListedFeed): Promise<boolean>;
  /** Removes a feed and its state; false when it was not listed. */
  removeListedFeed(feedId: string): Promise<boolean>;
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

export type AlertClaim = 'claimed' | 'already-sent' | 'in-flight';

/** Which stories were alerted, so an alert is sent once even when retried or raced. */
export interface AlertLedger {
  /** Takes a lease on alerting this story; a lease older than `leaseSeconds` can be retaken. */
  claimAlert(storyId: string, matchId: string, leaseSeconds: number): Promise<AlertClaim>;
  /** Records that the alert went out (idempotent), and whether on its own or in a digest. */
  markAlertSent(
    storyId: string,
    matchId: string,
    sentAt: string,
    messageId?: string,
    channel?: AlertChannel,
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
  /** Up to `limit` entries, oldest first, after `after` when given; nothing is removed. */
  readDigest(limit: number, after?: DigestEntry): Promise<DigestEntry[]>;
  /** Removes entries once their stories are sent or settled. */
  removeDigest(entries: DigestEntry[]): Promise<void>;
}

/** How an alert went out: on its own, or in a digest. */
export type AlertChannel = 'instant' | 'digest';

/** A sent alert, as the alert ledger records it. */
export interface SentAlert {
  storyId: string;
  /** The match the alert was sent for. */
  matchId: string;
  sentAt: string;
  /** Absent for alerts recorded before the channel was. */
  channel?: AlertChannel;
  /** The match's headline, unless it expired. */
  headline?: Headline;
}

/** What a person needs to recognise a match in a list. */
export interface Headline {
  title: string;
  feed: string;
  link?: string;
}

/** A story waiting for the next digest. */
export interface QueuedDigestEntry extends DigestEntry {
  headline?: Headline;
}

export interface VolumeQuery {
  since: string;
  until: string;
  interval: 'hour' | 'day';
  /** The facets to count matches of, each apart. */
  facets: string[];
}

export interface MatchVolume {
  interval: 'hour' | 'day';
  since: string;
  until: string;
  /** Every hour or day from since to until, oldest first, empty ones included. */
  buckets: { start: string; matches: number; facets: Record<string, number> }[];
}

/** What the monitor's page reads besides matches and feeds: stories, volume, alerts. */
export interface MonitorReads {
  /** One page of story leads (the first copy of each story), newest first, the filters on the lead. */
  listStoryLeads(query: MatchQuery): Promise<MatchPage>;
  /** The sent alerts of these stories (without headlines), by story id; stories not alerted are absent. */
  storyAlerts(storyIds: string[]): Promise<Map<string, SentAlert>>;
  matchVolume(query: VolumeQuery): Promise<MatchVolume>;
  /** Alerts sent between the two instants, newest first, at most `limit`. */
  listSentAlerts(sinceIso: string, untilIso: string, limit: number): Promise<SentAlert[]>;
  /** The digest queue as it stands, oldest first, at most `limit`; nothing is taken. */
  listDigestQueue(limit: number): Promise<QueuedDigestEntry[]>;
}

/** A user's grades of matches and reports of misses (docs/relevance.md, the feedback loop). */
export interface FeedbackStore {
  getFeedback(id: string): Promise<Feedback | undefined>;
  /**
   * Writes the feedback when the stored one is still the one read (`expectedGradedAt`, absent
   * for none), so two graders racing cannot lose a grade from the history; false when it was not.
   */
  putFeedback(feedback: Feedback, expectedGradedAt?: string): Promise<boolean>;
  /** One page in id order, at most `limit`; follow `nextCursor` until it is absent. */
  listFeedback(query: { limit: number; cursor?: string }): Promise<FeedbackPage>;
}

/**
 * One stored version of the profile overlay (`seeds/profile.json`'s shape). Versions are never
 * changed or removed: going back means putting an older one in use.
 */
export interface ProfileOverlayVersion {
  /** 1, 2, 3, ... in the order they were added. */
  number: number;
  /** The overlay JSON exactly as given, so the profile derived from it hashes the same. */
  overlay: string;
  createdAt: string;
  /** Who added it: a user name locally, the caller's IAM ARN deployed. */
  createdBy: string;
  note?: string;
  /** The `version` hash of the profile it gave with the seeds of its time. */
  profileVersion: string;
}

/** Which overlay version scores and reports now, and since when, by whose command. */
export interface ProfileInUse {
  number: number;
  since: string;
  by: string;
}

/** The profile overlay's versions and the pointer to the one in use. */
export interface ProfileStore {
  /** Every version, newest first. */
  listProfileVersions(): Promise<ProfileOverlayVersion[]>;
  getProfileVersion(number: number): Promise<ProfileOverlayVersion | undefined>;
  /** Stores the overlay as the next version (numbers never repeat, even when writers race). */
  addProfileVersion(version: Omit<ProfileOverlayVersion, 'number'>): Promise<ProfileOverlayVersion>;
  /** The pointer, read strongly consistent; undefined before anything was seeded. */
  profileInUse(): Promise<ProfileInUse | undefined>;
  /** Points at an existing version; false when there is no version with that number. */
  useProfileVersion(pointer: ProfileInUse): Promise<boolean>;
  /**
   * Stores `version` as version 1 and puts it in use, unless a pointer exists already (then
   * nothing changes); the pointer in use afterwards either way.
   */
  seedProfileVersion(version: Omit<ProfileOverlayVersion, 'number'>): Promise<ProfileInUse>;
}

/** Everything the sweep, the alerts and the API need from storage. */
export interface Store
  extends MatchStore,
    FeedStateStore,
    FeedListStore,
    StoryIndex,
    MatchBatches,
    AlertLedger,
    DigestQueue,
    MonitorReads,
    FeedbackStore {}

import { createHash } from 'node:crypto';

/**
 * Key layout of the single table (see docs/storage.md). Every partition and sort key newswatch
 * writes is built here, so the adapter, the cursor validation and the docs agree.
 */
export const KEY = {
  match: (id: string) => ({ pk: `MATCH#${id}`, sk: 'MATCH' }),
  matchFacet: (id: string, facet: string) => ({ pk: `MATCH#${id}`, sk: `FACET#${facet}` }),
  seen: (dedupeKey: string) => ({ pk: `SEEN#${hashKey(dedupeKey)}`, sk: 'SEEN' }),
  feedState: (feedId: string) => ({ pk: 'FEEDS', sk: `FEED#${feedId}` }),
  /** One feed of the stored feed list (the state stays under `feedState`, same id). */
  listedFeed: (feedId: string) => ({ pk: 'FEED-LIST', sk: `FEED#${feedId}` }),
  /** Present once the feed list was seeded: an empty list is then the user's, not a fresh store's. */
  feedListSeeded: () => ({ pk: 'FEED-LIST', sk: 'SEEDED' }),
  storySummary: (storyId: string) => ({ pk: `STORY#${storyId}`, sk: 'SUMMARY' }),
  storyMember: (storyId: string, matchId: string) => ({
    pk: `STORY#${storyId}`,
    sk: `MEMBER#${matchId}`,
  }),
  alert: (storyId: string) => ({ pk: `ALERT#${storyId}`, sk: 'ALERT' }),
  digest: (queuedAt: string, storyId: string, matchId: string) => ({
    pk: 'DIGEST',
    sk: `${queuedAt}#${storyId}#${matchId}`,
  }),
  /** A user's grades are few: one partition holds them all, listed in id order. */
  feedback: (id: string) => ({ pk: 'FEEDBACK', sk: `ITEM#${id}` }),
  /** The key that signs the deployed API's pagination cursors (dynamodb-cursor-key.ts). */
  cursorKey: () => ({ pk: CURSOR_KEY_PK, sk: 'CURSOR-KEY' }),
  /** The earliest month any match was stored in (dynamodb-match-start.ts). */
  matchStart: () => ({ pk: 'MATCH-START', sk: 'MATCH-START' }),
  /** Zero-padded, so the partition's sort order is the versions' order. */
  profileVersion: (number: number) => ({
    pk: 'PROFILE',
    sk: `VERSION#${String(number).padStart(10, '0')}`,
  }),
  profileInUse: () => ({ pk: 'PROFILE', sk: 'IN-USE' }),
} as const;

/** The cursor key's partition: the one the read-only api function may also write (once). */
export const CURSOR_KEY_PK = 'CURSOR-KEY';

export const FEEDS_PK = 'FEEDS';
export const FEED_LIST_PK = 'FEED-LIST';
export const DIGEST_PK = 'DIGEST';
export const FEEDBACK_PK = 'FEEDBACK';
/** The profile overlay's versions and the in-use pointer: the one partition the API writes. */
export const PROFILE_PK = 'PROFILE';
export const PROFILE_VERSION_PREFIX = 'VERSION#';

/** Index partitions, each bucketed by time so no partition stays hot forever. */
export const INDEX_PK = {
  /** gsi1: every match, by month. */
  matchesByMonth: (month: string) => `M#${month}`,
  /** gsi1: the facet index items of one facet, by month. */
  facetByMonth: (facet: string, month: string) => `F#${facet}#${month}`,
  /** gsi2: the matches of one outlet, by month. */
  feedByMonth: (feed: string, month: string) => `FD#${feed}#${month}`,
  /** gsi1: story signatures, by day (story windows are short). */
  signaturesByDay: (day: string) => `SIG#${day}`,
  /** gsi1: alerts sent, by day (the per-hour cap reads one or two days). */
  alertsByDay: (day: string) => `ALERTS#${day}`,
} as const;

/** Sort key of every time-ordered index: the instant, then the id to break ties. */
export function timeSortKey(iso: string, id: string): string {
  return `${canonicalIso(iso)}#${id}`;
}

/** The id part of a time sort key. */
export function idOfTimeSortKey(sortKey: string): string {
  return sortKey.slice(sortKey.indexOf('#') + 1);
}

/** ISO 8601 in UTC with milliseconds, so keys sort as instants do; throws on a bad date. */
export function canonicalIso(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`not an ISO 8601 date: ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

export function monthOf(iso: string): string {
  return canonicalIso(iso).slice(0, 7);
}

export function dayOf(iso: string): string {
  return canonicalIso(iso).slice(0, 10);
}

/** Days from `fromIso` back to `toIso` inclusive, newest first. */
export function daysDescending(fromIso: string, toIso: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${dayOf(toIso)}T00:00:00.000Z`);
  for (let t = Date.parse(`${dayOf(fromIso)}T00:00:00.000Z`); t >= end; t -= 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * The month buckets that can hold live matches within [lowMonth, highMonth], newest first: from
 * this month (a little ahead, for skew) back to the month of the oldest match the retention
 * keeps, and no further than `firstMonth`, the earliest month any match was stored in, when
 * known. Each costs a query when walked, whether or not it holds anything.
 */
export function liveMonths(
  now: Date,
  retentionDays: number,
  lowMonth: string,
  highMonth: string,
  firstMonth: string | undefined,
): string[] {
  const top = monthOf(new Date(now.getTime() + CLOCK_SKEW_MS).toISOString());
  const oldest = monthOf(new Date(now.getTime() - retentionDays * 86_400_000).toISOString());
  const low = [lowMonth, oldest, firstMonth ?? oldest].reduce((a, b) => (a > b ? a : b));
  const months: string[] = [];
  const first = new Date(`${highMonth < top ? highMonth : top}-01T00:00:00.000Z`);
  while (first.toISOString().slice(0, 7) >= low) {
    months.push(first.toISOString().slice(0, 7));
    first.setUTCMonth(first.getUTCMonth() - 1);
  }
  return months;
}

/** Clocks of different writers disagree a little: a walk up to "now" looks this far ahead. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** How far past `since` a walk looks when the caller's clock runs ahead of the store's. */
const AHEAD_CALLER_DAYS = 7;

/**
 * Day buckets a "since" query walks, newest first: from today (a little ahead, for skew) back to
 * `since`. When `since` itself is later than the store's now, the caller's clock runs ahead (a
 * test pinning time, a skewed host) and the walk starts a week past `since` instead.
 */
export function dayBucketsSince(now: Date, sinceIso: string): string[] {
  const since = Date.parse(canonicalIso(sinceIso));
  const top =
    since > now.getTime() ? since + AHEAD_CALLER_DAYS * 86_400_000 : now.getTime() + CLOCK_SKEW_MS;
  return daysDescending(new Date(top).toISOString(), sinceIso);
}

/** Epoch seconds `days` after `iso`: the TTL attribute DynamoDB expires items by. */
export function expiryAfter(iso: string, days: number): number {
  return Math.floor(Date.parse(iso) / 1000) + days * 86_400;
}

/**
 * DynamoDB deletes expired items some time after their TTL (dynalite never does): readers skip
 * them so every backend answers alike.
 */
export function isExpired(item: Record<string, unknown>, nowSeconds: number): boolean {
  return typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds;
}

/** Dedupe keys can be long URLs; a hash keeps partition keys short and of bounded size. */
function hashKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

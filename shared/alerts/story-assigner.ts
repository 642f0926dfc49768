import type { StoryIndex, StorySignature } from '#shared/store/store-ports.ts';
import type {
  StoryAssigner,
  StoryAssignment,
  StoryCandidateInput,
} from '#shared/sweep/story-assigner.ts';
import {
  type EventClues,
  eventClues,
  sameEventAcrossLanguages,
  splitSignature,
  withClues,
} from './cross-language-event.ts';
import { parseSignature, slotSimilarity, storySignature } from './story-clusterer.ts';

export interface StoryAssignerOptions {
  /** How far back a copy may find its story. @default 48 */
  windowHours?: number;
  /**
   * Mean similarity to a story's members needed to join it. @default 0.25, chosen on labeled
   * stories to favour precision: a wrong merge hides a story's alert, a wrong split only repeats one.
   */
  threshold?: number;
  /** Most recent signatures compared against. @default 1000 */
  maxCandidates?: number;
  /**
   * How stale the view of other writers' signatures may get: within this time an assignment uses
   * what it already knows (its own members included) instead of asking the store. @default 5000
   */
  refreshMs?: number;
  /**
   * A refresh re-reads signatures stored this long before the newest one seen, so one another
   * writer stamped earlier but stored later is still found. @default 30000 (ingest stamps a match
   * and stores its signature within one invocation's retries)
   */
  overlapMs?: number;
  now?: () => Date;
}

/** A story member whose storedAt is not a time: it cannot be placed in the window. */
export class InvalidStoredAtError extends Error {
  constructor(matchId: string, storedAt: string) {
    super(`Story member ${matchId} has storedAt "${storedAt}", which is not an ISO timestamp`);
    this.name = 'InvalidStoredAtError';
  }
}

/** Options that cannot describe a window of candidates. */
export class StoryAssignerOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoryAssignerOptionsError';
  }
}

/**
 * Assigns each new match to the story it is a near-duplicate of within the window, or starts a new
 * story named after the match. Average linkage (mean similarity over a story's members) rather than
 * nearest member, so one loosely worded item cannot chain two different events together. Each
 * match is compared with every candidate: the most recent `maxCandidates` members in the window.
 */
export function createStoryAssigner(
  index: Pick<StoryIndex, 'recentSignatures'>,
  options: StoryAssignerOptions = {},
): StoryAssigner {
  const windowHours = options.windowHours ?? 48;
  const threshold = options.threshold ?? 0.25;
  const maxCandidates = options.maxCandidates ?? 1000;
  const now = options.now ?? (() => new Date());
  if (
    !(Number.isInteger(maxCandidates) || maxCandidates === Number.POSITIVE_INFINITY) ||
    maxCandidates < 0
  ) {
    throw new StoryAssignerOptionsError(
      `maxCandidates must be a whole number of signatures, 0 or more; got ${maxCandidates}`,
    );
  }

  const refreshMs = options.refreshMs ?? 5000;
  const overlapMs = options.overlapMs ?? 30_000;
  // Signatures seen so far, in the order they became known: a refresh reads only what was stored
  // since the newest one seen (less the overlap) instead of the whole window again, and at most
  // every refreshMs. Each is kept with its slots parsed, so a comparison reads no hex, and also in
  // `byTime` (newest first; of two stored at once, the one known first), so that picking the most
  // recent candidates needs no sort.
  const known = new Map<string, KnownMember>();
  let byTime: KnownMember[] = [];
  let newestSeenMs = Number.NEGATIVE_INFINITY;
  let refreshedAtMs = Number.NEGATIVE_INFINITY;

  /** Reads what other writers stored since the last look, at most every refreshMs. */
  async function refresh(): Promise<void> {
    const nowMs = now().getTime();
    if (nowMs - refreshedAtMs < refreshMs) return;
    const windowStartMs = nowMs - windowHours * 3_600_000;
    const sinceMs = Math.max(windowStartMs, newestSeenMs - overlapMs);
    const fresh = await index.recentSignatures(new Date(sinceMs).toISOString(), maxCandidates);
    for (const entry of fresh) remember(entry);
    refreshedAtMs = nowMs;
  }

  /** The members a new match is compared with, in the order ties are broken. */
  function candidates(): KnownMember[] {
    const windowStartMs = now().getTime() - windowHours * 3_600_000;
    let kept = byTime.length;
    while (kept > 0 && (byTime[kept - 1] as KnownMember).storedAtMs < windowStartMs) {
      known.delete((byTime[--kept] as KnownMember).matchId);
    }
    if (kept < byTime.length) byTime = byTime.slice(0, kept);
    return known.size <= maxCandidates ? [...known.values()] : byTime.slice(0, maxCandidates);
  }

  function remember(entry: StorySignature): void {
    const storedAtMs = Date.parse(entry.storedAt);
    if (Number.isNaN(storedAtMs)) throw new InvalidStoredAtError(entry.matchId, entry.storedAt);
    // Only what placing a match needs is kept (ids are hashes, not cut from the document): a
    // title or link would keep its feed document alive, the parser's strings being views on it,
    // for as long as the member stays in the window.
    const { minHash, clues } = splitSignature(entry.signature);
    const member: KnownMember = {
      matchId: entry.matchId,
      storyId: entry.storyId,
      slots: parseSignature(minHash),
      clues,
      storedAtMs,
    };
    const earlier = known.get(entry.matchId);
    if (earlier?.storedAtMs === storedAtMs) {
      // Known already: it keeps its place in both orders.
      Object.assign(earlier, member);
    } else if (earlier) {
      known.set(entry.matchId, member);
      byTime = [...known.values()].sort((a, b) => b.storedAtMs - a.storedAtMs);
    } else {
      known.set(entry.matchId, member);
      byTime.splice(insertionPoint(byTime, storedAtMs), 0, member);
    }
    newestSeenMs = Math.max(newestSeenMs, storedAtMs);
  }

  return {
    async assign(candidate: StoryCandidateInput): Promise<StoryAssignment> {
      if (Number.isNaN(Date.parse(candidate.storedAt))) {
        throw new InvalidStoredAtError(candidate.matchId, candidate.storedAt);
      }
      const minHash = storySignature(candidate.title, candidate.summary);
      const clues = eventClues(candidate);
      const signature = withClues(minHash, clues);
      await refresh();
      // From here to remember() nothing awaits: the polls of one sweep assign at once, and each
      // must see the members placed before it, or two copies of one story start two stories.
      const recent = candidates();
      const memberOf = (storyId: string): StorySignature => ({
        storyId,
        signature,
        matchId: candidate.matchId,
        feed: candidate.feed,
        title: candidate.title,
        link: candidate.link,
        published: candidate.published,
        storedAt: candidate.storedAt,
      });

      // A retried sweep assigns the same match again: keep its first answer (and hand its member
      // back, since the attempt that was retried may not have stored it).
      const earlier = recent.find((member) => member.matchId === candidate.matchId);
      if (earlier) {
        return {
          storyId: earlier.storyId,
          isNew: earlier.storyId === candidate.matchId,
          member: memberOf(earlier.storyId),
        };
      }

      const storyId =
        nearestStory(parseSignature(minHash), clues?.lang, recent, threshold) ??
        storyInOtherLanguage(clues, recent) ??
        candidate.matchId;
      const member = memberOf(storyId);
      remember(member);
      return { storyId, isNew: storyId === candidate.matchId, member };
    },
  };
}

/** Where a member stored at `storedAtMs` goes in a newest-first list: after those stored at once. */
function insertionPoint(byTime: KnownMember[], storedAtMs: number): number {
  let low = 0;
  let high = byTime.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((byTime[middle] as KnownMember).storedAtMs >= storedAtMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

interface KnownMember {
  matchId: string;
  storyId: string;
  slots: Uint32Array | undefined;
  /** Its language and what a report in another language is compared by, when known. */
  clues: EventClues | undefined;
  storedAtMs: number;
}

/**
 * The one story with a member in another language that reports the same event
 * ({@link sameEventAcrossLanguages}). Text similarity found nothing, so this is the only way a
 * copy in another language joins; when two stories qualify the match starts its own, as a copy
 * must never bridge two stories.
 */
function storyInOtherLanguage(
  clues: EventClues | undefined,
  candidates: KnownMember[],
): string | undefined {
  if (!clues) return undefined;
  const stories = new Set<string>();
  for (const member of candidates) {
    if (member.clues && sameEventAcrossLanguages(clues, member.clues)) stories.add(member.storyId);
  }
  return stories.size === 1 ? [...stories][0] : undefined;
}

/**
 * The story with the highest mean similarity of its candidate members to the signature, if that
 * mean reaches the threshold; a tie goes to the story that comes first among the candidates.
 * Members known to be in another language than `lang` are left out of the mean.
 */
function nearestStory(
  slots: Uint32Array | undefined,
  lang: string | undefined,
  candidates: KnownMember[],
  threshold: number,
): string | undefined {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const member of candidates) {
    // Copies in another language share no words: counted, they would only lower the mean.
    if (lang && member.clues && member.clues.lang !== lang) continue;
    const total = totals.get(member.storyId) ?? { sum: 0, count: 0 };
    total.sum += slotSimilarity(slots, member.slots);
    total.count += 1;
    totals.set(member.storyId, total);
  }
  let best: { storyId: string; similarity: number } | undefined;
  for (const [storyId, { sum, count }] of totals) {
    const similarity = sum / count;
    if (!best || similarity > best.similarity) best = { storyId, similarity };
  }
  return best && best.similarity >= threshold ? best.storyId : undefined;
}

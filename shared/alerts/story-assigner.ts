import type { StoryMember } from '#shared/store/match-schema.ts';
import type { StoryIndex, StorySignature } from '#shared/store/store-ports.ts';
import type {
  StoryAssigner,
  StoryAssignment,
  StoryCandidateInput,
} from '#shared/sweep/story-assigner.ts';
import { withBatchedStoryWrites } from '#shared/sweep/story-write-buffer.ts';
import { StoryCandidates } from './story-candidates.ts';
import { storySignature } from './story-clusterer.ts';

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
 * The assigner a sweep uses: each decision at once, the members handed to the sweep, which writes
 * them in the same batch as the matches instead of two requests per match.
 */
export function createSweepStoryAssigner(
  store: StoryIndex,
  options: StoryAssignerOptions = {},
): StoryAssigner {
  return withBatchedStoryWrites(store, (index) => createStoryAssigner(index, options));
}

/**
 * Assigns each new match to the story it is a near-duplicate of within the window, or starts a new
 * story named after the match. Average linkage (mean similarity over a story's members) rather than
 * nearest member, so one loosely worded item cannot chain two different events together.
 */
export function createStoryAssigner(
  index: StoryIndex,
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
  // Signatures seen so far: a refresh reads only what was stored since the newest one seen (less
  // the overlap) instead of the whole window again, and at most every refreshMs. They are kept
  // parsed and ordered by time, so that placing a match costs little however many the window holds.
  const known = new StoryCandidates(maxCandidates);
  let newestSeenMs = Number.NEGATIVE_INFINITY;
  let refreshedAtMs = Number.NEGATIVE_INFINITY;

  async function refresh(): Promise<void> {
    const nowMs = now().getTime();
    const windowStartMs = nowMs - windowHours * 3_600_000;
    if (nowMs - refreshedAtMs >= refreshMs) {
      const sinceMs = Math.max(windowStartMs, newestSeenMs - overlapMs);
      const fresh = await index.recentSignatures(new Date(sinceMs).toISOString(), maxCandidates);
      for (const entry of fresh) remember(entry);
      refreshedAtMs = nowMs;
    }
    known.expireBefore(windowStartMs);
  }

  function remember(entry: StorySignature): void {
    const storedAtMs = Date.parse(entry.storedAt);
    if (Number.isNaN(storedAtMs)) throw new InvalidStoredAtError(entry.matchId, entry.storedAt);
    known.remember({
      matchId: entry.matchId,
      storyId: entry.storyId,
      signature: entry.signature,
      storedAtMs,
      // A story's first copy is kept with its fields, so the copy that joins it next can hand them
      // to the summary it creates; the other members' fields are never needed.
      ...(entry.matchId === entry.storyId ? { member: memberFields(entry) } : {}),
    });
    newestSeenMs = Math.max(newestSeenMs, storedAtMs);
  }

  return {
    async assign(candidate: StoryCandidateInput): Promise<StoryAssignment> {
      if (Number.isNaN(Date.parse(candidate.storedAt))) {
        throw new InvalidStoredAtError(candidate.matchId, candidate.storedAt);
      }
      const signature = storySignature(candidate.title, candidate.summary);
      await refresh();

      // A retried sweep assigns the same match again: keep its first answer.
      const earlier = known.candidate(candidate.matchId);
      if (earlier) {
        return { storyId: earlier.storyId, isNew: earlier.storyId === candidate.matchId };
      }

      const nearest = known.nearest(signature, threshold);
      const storyId = nearest ? nearest.storyId : candidate.matchId;
      // The second copy of a story carries the first, so the summary is made without reading it.
      const founder = storyId === candidate.matchId ? undefined : known.loneFounder(storyId);
      const member: StorySignature = {
        storyId,
        signature,
        matchId: candidate.matchId,
        feed: candidate.feed,
        title: candidate.title,
        link: candidate.link,
        published: candidate.published,
        storedAt: candidate.storedAt,
        ...(founder ? { founder } : {}),
      };
      await index.addStoryMember(member);
      remember(member);
      return { storyId, isNew: storyId === candidate.matchId };
    },
  };
}

/** A member's own fields, apart from the signature and from any founder it carries. */
function memberFields(entry: StorySignature): StoryMember {
  const fields: StoryMember = { matchId: entry.matchId, feed: entry.feed, title: entry.title };
  if (entry.link !== undefined) fields.link = entry.link;
  if (entry.published !== undefined) fields.published = entry.published;
  return fields;
}

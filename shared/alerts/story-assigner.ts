import type { StoryIndex, StorySignature } from '#shared/store/store-ports.ts';
import type {
  StoryAssigner,
  StoryAssignment,
  StoryCandidateInput,
} from '#shared/sweep/story-assigner.ts';
import { signatureSimilarity, storySignature } from './story-clusterer.ts';

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

  const refreshMs = options.refreshMs ?? 5000;
  const overlapMs = options.overlapMs ?? 30_000;
  // Signatures seen so far, by match id: a refresh reads only what was stored since the newest one
  // seen (less the overlap) instead of the whole window again, and at most every refreshMs.
  const known = new Map<string, StorySignature>();
  let newestSeenMs = Number.NEGATIVE_INFINITY;
  let refreshedAtMs = Number.NEGATIVE_INFINITY;

  async function recentSignatures(): Promise<StorySignature[]> {
    const nowMs = now().getTime();
    const windowStartMs = nowMs - windowHours * 3_600_000;
    if (nowMs - refreshedAtMs >= refreshMs) {
      const sinceMs = Math.max(windowStartMs, newestSeenMs - overlapMs);
      const fresh = await index.recentSignatures(new Date(sinceMs).toISOString(), maxCandidates);
      for (const entry of fresh) remember(entry);
      refreshedAtMs = nowMs;
    }
    for (const [matchId, entry] of known) {
      if (Date.parse(entry.storedAt) < windowStartMs) known.delete(matchId);
    }
    const recent = [...known.values()];
    return recent.length <= maxCandidates
      ? recent
      : recent.sort((a, b) => b.storedAt.localeCompare(a.storedAt)).slice(0, maxCandidates);
  }

  function remember(entry: StorySignature): void {
    known.set(entry.matchId, entry);
    newestSeenMs = Math.max(newestSeenMs, Date.parse(entry.storedAt));
  }

  return {
    async assign(candidate: StoryCandidateInput): Promise<StoryAssignment> {
      const signature = storySignature(candidate.title, candidate.summary);
      const recent = await recentSignatures();

      // A retried sweep assigns the same match again: keep its first answer.
      const earlier = recent.find((entry) => entry.matchId === candidate.matchId);
      if (earlier) {
        return { storyId: earlier.storyId, isNew: earlier.storyId === candidate.matchId };
      }

      const nearest = nearestStory(signature, recent);
      const storyId =
        nearest && nearest.similarity >= threshold ? nearest.storyId : candidate.matchId;
      const member: StorySignature = {
        storyId,
        signature,
        matchId: candidate.matchId,
        feed: candidate.feed,
        title: candidate.title,
        link: candidate.link,
        published: candidate.published,
        storedAt: candidate.storedAt,
      };
      await index.addStoryMember(member);
      remember(member);
      return { storyId, isNew: storyId === candidate.matchId };
    },
  };
}

function nearestStory(
  signature: string,
  recent: StorySignature[],
): { storyId: string; similarity: number } | undefined {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const entry of recent) {
    const total = totals.get(entry.storyId) ?? { sum: 0, count: 0 };
    total.sum += signatureSimilarity(signature, entry.signature);
    total.count += 1;
    totals.set(entry.storyId, total);
  }
  let best: { storyId: string; similarity: number } | undefined;
  for (const [storyId, { sum, count }] of totals) {
    const similarity = sum / count;
    if (!best || similarity > best.similarity) best = { storyId, similarity };
  }
  return best;
}

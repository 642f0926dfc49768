import type { StoryIndex, StorySignature } from '#shared/store/store-ports.ts';
import type { StoryAssigner } from './story-assigner.ts';

/**
 * A story assigner whose member writes are handed to the caller: the assigner decides at once
 * from its own view, and the sweep writes the members assigned meanwhile (one feed's, or several
 * feeds' in a busy sweep) in the same batch as the matches. Members whose write failed are given
 * back for the next take.
 */
export function withBatchedStoryWrites(
  index: StoryIndex,
  createAssigner: (index: StoryIndex) => StoryAssigner,
): StoryAssigner {
  let pending: StorySignature[] = [];
  const deferred: StoryIndex = {
    recentSignatures: (sinceIso, limit) => index.recentSignatures(sinceIso, limit),
    storyMembers: (storyId) => index.storyMembers(storyId),
    addStoryMember: async (signature) => {
      pending.push(signature);
    },
  };
  const assigner = createAssigner(deferred);
  return {
    assign: (candidate) => assigner.assign(candidate),
    takeMembers(matchIds) {
      const taken = matchIds ? pending.filter((member) => matchIds.has(member.matchId)) : pending;
      pending = matchIds ? pending.filter((member) => !matchIds.has(member.matchId)) : [];
      return taken;
    },
    returnMembers(members) {
      pending = [...members, ...pending];
    },
  };
}

import type { StoryIndex, StoryMemberBatches, StorySignature } from '#shared/store/store-ports.ts';
import type { StoryAssigner } from './story-assigner.ts';

/**
 * A story assigner whose member writes wait for `flush()`: the assigner decides at once from its
 * own view, and the members assigned meanwhile (one feed's, or several feeds' in a busy sweep) go
 * out in one batch. A failed flush keeps its members for the next one.
 */
export function withBatchedStoryWrites(
  index: StoryIndex & StoryMemberBatches,
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
    async flush() {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      try {
        await index.addStoryMembers(batch);
      } catch (error) {
        pending = [...batch, ...pending];
        throw error;
      }
    },
  };
}

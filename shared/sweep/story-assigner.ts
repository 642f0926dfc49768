import type { StorySignature } from '#shared/store/store-ports.ts';

/** What story assignment reads of a new match. */
export interface StoryCandidateInput {
  matchId: string;
  feed: string;
  title: string;
  summary: string;
  link?: string;
  published?: string;
  storedAt: string;
}

export interface StoryAssignment {
  storyId: string;
  /** True when this match starts a new story (no earlier copy within the window). */
  isNew: boolean;
}

/** Puts a new match into the story it is a copy of, or starts a new story. */
export interface StoryAssigner {
  assign(candidate: StoryCandidateInput): Promise<StoryAssignment>;
  /**
   * The story members assigned and not yet written, when the caller writes them (with the
   * matches); the assigner forgets them. With `matchIds`, only the members of those matches are
   * taken, and the others stay for a later take.
   */
  takeMembers?(matchIds?: ReadonlySet<string>): StorySignature[];
  /** Gives back members whose write failed, for the next take. */
  returnMembers?(members: StorySignature[]): void;
}

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
}

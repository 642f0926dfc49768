/** What story assignment reads of a new match. */
export interface StoryCandidateInput {
  matchId: string;
  feed: string;
  title: string;
  summary: string;
  link?: string;
  published?: string;
  storedAt: string;
  /** The language the scorer read (ISO 639-1); with the facets, lets a story cross languages. */
  lang?: string;
  /** The profile's facets the match touched. */
  facets?: string[];
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

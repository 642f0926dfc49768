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
  /** The language the scorer read (ISO 639-1); with the facets, lets a story cross languages. */
  lang?: string;
  /** The profile's facets the match touched. */
  facets?: string[];
}

export interface StoryAssignment {
  storyId: string;
  /** True when this match starts a new story (no earlier copy within the window). */
  isNew: boolean;
  /** The member record its caller stores with the match; assigning stores nothing. */
  member: StorySignature;
}

/**
 * Decides which story a new match belongs to: the one it is a copy of, or a new story. It stores
 * nothing: the caller writes the member with its match, so a batch's writes go out together.
 */
export interface StoryAssigner {
  assign(candidate: StoryCandidateInput): Promise<StoryAssignment>;
}

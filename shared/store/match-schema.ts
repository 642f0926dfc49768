import { z } from 'zod';
import { ScoreExplanationSchema } from '#shared/profile/score-types.ts';

export const StoryMemberSchema = z.object({
  matchId: z.string(),
  feed: z.string(),
  title: z.string(),
  link: z.string().optional(),
  published: z.string().optional(),
});
export type StoryMember = z.infer<typeof StoryMemberSchema>;

/** A stored match: the API's and the CLI's `match` object. */
export const MatchSchema = z.object({
  id: z.string(),
  title: z.string(),
  link: z.string().optional(),
  summary: z.string().default(''),
  /** The outlet: the feed's name, or its title, or its host. */
  feed: z.string(),
  feedUrl: z.string(),
  published: z.string().optional(),
  /** When newswatch stored it (ISO 8601); the sort key for "newest first". */
  storedAt: z.string(),
  score: z.number().min(0).max(1),
  /** Crossed the alert threshold (alert-worthy), whether or not the alert went out yet. */
  alert: z.boolean(),
  facets: z.array(z.string()),
  terms: z.array(z.string()),
  explanation: ScoreExplanationSchema,
  profileVersion: z.string(),
  storyId: z.string(),
  alsoReportedBy: z.array(StoryMemberSchema).default([]),
  alerted: z.boolean().default(false),
  alertedAt: z.string().optional(),
  language: z.string().optional(),
  /** The item's language as newswatch read it (ISO 639-1: en, ru, zh), from text and feed. */
  lang: z.string().optional(),
});
export type Match = z.infer<typeof MatchSchema>;

export const MatchQuerySchema = z.object({
  since: z.string().optional(),
  until: z.string().optional(),
  facet: z.string().optional(),
  minScore: z.number().min(0).max(1).optional(),
  feed: z.string().optional(),
  /** Words that must appear in the title or summary. */
  q: z.string().optional(),
  /** Only matches in this language (ISO 639-1, as in `lang`). */
  lang: z.string().optional(),
  limit: z.number().int().min(1).max(100).default(25),
  /** Opaque, tamper-proof; from a previous page's nextCursor. */
  cursor: z.string().optional(),
});
export type MatchQuery = z.infer<typeof MatchQuerySchema>;

export interface MatchPage {
  items: Match[];
  nextCursor?: string;
}

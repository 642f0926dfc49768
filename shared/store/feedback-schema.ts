import { z } from 'zod';
import { GradeSchema } from '#shared/eval/labeled-item.ts';

/** One grade a user gave, with when. */
export const GradeEntrySchema = z.object({
  grade: GradeSchema,
  note: z.string().optional(),
  gradedAt: z.string(),
});
export type GradeEntry = z.infer<typeof GradeEntrySchema>;

/**
 * A user's judgment of one item: the last grade, the earlier ones, and what the item said, kept
 * with the feedback so it can be scored again after the match itself has expired. `match` is a
 * stored match graded; `miss` an item the user reports the profile should have matched.
 */
export const FeedbackSchema = z.object({
  /** The match's id, or for a miss the id its link would give a feed item. */
  id: z.string().min(1),
  kind: z.enum(['match', 'miss']),
  grade: GradeSchema,
  note: z.string().optional(),
  gradedAt: z.string(),
  /** Earlier grades, oldest first; the last grade is the one above. */
  history: z.array(GradeEntrySchema).default([]),
  title: z.string(),
  summary: z.string().default(''),
  feed: z.string(),
  link: z.string().optional(),
  lang: z.string().optional(),
  published: z.string().optional(),
  /** The profile that scored the match (for a miss: the profile in use when it was reported). */
  profileVersion: z.string().optional(),
  /** The match's score under that profile; absent for a miss. */
  score: z.number().min(0).max(1).optional(),
});
export type Feedback = z.infer<typeof FeedbackSchema>;

export interface FeedbackPage {
  items: Feedback[];
  nextCursor?: string;
}

export const FEEDBACK_PAGE_DEFAULT = 50;
export const FEEDBACK_PAGE_MAX = 200;

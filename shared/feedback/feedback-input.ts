import { z } from 'zod';
import { GradeSchema } from '#shared/eval/labeled-item.ts';

/** Longest kept note, in characters. */
export const NOTE_MAX = 1000;

/** `POST /matches/{id}/feedback`: the grade of one match, with an optional note. */
export const MatchFeedbackInputSchema = z.strictObject({
  grade: GradeSchema.describe('0 not relevant, 1 relevant, 2 alert-worthy'),
  note: z.string().max(NOTE_MAX).optional().describe('Why, in the grader’s words'),
});
export type MatchFeedbackInput = z.infer<typeof MatchFeedbackInputSchema>;

/** `POST /feedback`: an item the profile missed, with what it said. */
export const MissReportInputSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .max(2048)
    .describe('The missed item’s link'),
  grade: z
    .union([z.literal(1), z.literal(2)])
    .describe('1 relevant, 2 alert-worthy: a miss is an item that should have matched'),
  title: z.string().min(1).max(500).describe('The item’s headline'),
  summary: z.string().max(5000).optional().describe('Its description or first paragraph'),
  feed: z.string().max(300).optional().describe('The outlet, when known'),
  note: z.string().max(NOTE_MAX).optional(),
});
export type MissReportInput = z.infer<typeof MissReportInputSchema>;

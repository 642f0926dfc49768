import { z } from 'zod';

/** What the scorer reads of an item. */
export const ScoreInputSchema = z.object({
  title: z.string(),
  /** The language the item or its feed declares (BCP 47); the text itself has the last word. */
  language: z.string().optional(),
  summary: z.string().optional(),
  content: z.string().optional(),
});
export type ScoreInput = z.infer<typeof ScoreInputSchema>;

export const ScoreExplanationSchema = z.object({
  facets: z.array(z.object({ name: z.string(), score: z.number(), matched: z.array(z.string()) })),
  terms: z.array(
    z.object({
      term: z.string(),
      contribution: z.number(),
      field: z.enum(['title', 'summary', 'content']).optional(),
    }),
  ),
  /** Free text for anything the numbers do not say (e.g. a must-not term hit). */
  notes: z.array(z.string()).default([]),
  /** The item's language (ISO 639-1: en, ru, zh, ...), from its text and declared language. */
  lang: z.string().optional(),
});
export type ScoreExplanation = z.infer<typeof ScoreExplanationSchema>;

export const ScoreResultSchema = z.object({
  score: z.number().min(0).max(1),
  match: z.boolean(),
  alert: z.boolean(),
  /** Names of the facets the item touched. */
  facets: z.array(z.string()),
  /** Top matched terms, highest contribution first. */
  terms: z.array(z.string()),
  /** The item's language (ISO 639-1), when its text or its feed tells. */
  lang: z.string().optional(),
  explanation: ScoreExplanationSchema,
});
export type ScoreResult = z.infer<typeof ScoreResultSchema>;

/** Scores items against one precomputed topic profile. */
export interface Scorer {
  readonly profileVersion: string;
  readonly thresholds: { match: number; alert: number };
  score(input: ScoreInput): ScoreResult;
}

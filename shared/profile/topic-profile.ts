import { z } from 'zod';

/** Bump when scoring changes meaning, so stored scores can be told apart by profile version. */
export const SCORER_VERSION = 'scorer-1';

const PatternSchema = z.object({
  /** As the user or the seed wrote it. */
  text: z.string(),
  /** Porter stems of its non-stopword tokens, matched as a consecutive sequence. */
  stems: z.array(z.string()).min(1),
  weight: z.number(),
});
export type Pattern = z.infer<typeof PatternSchema>;

export const TopicProfileSchema = z.object({
  /** Hash of the seeds, the overlay and the scorer: equal inputs, equal version. */
  version: z.string(),
  /** The stored overlay version this profile was derived from (`newswatch profile versions`). */
  overlayVersion: z.number().int().positive().optional(),
  scorerVersion: z.string(),
  seeds: z.array(z.object({ file: z.string(), title: z.string(), words: z.number() })),
  thresholds: z.object({ match: z.number(), alert: z.number() }),
  /** Thresholds for items of one language, where the overlay sets them (else `thresholds`). */
  languageThresholds: z
    .record(z.string(), z.object({ match: z.number(), alert: z.number() }))
    .optional(),
  fieldWeights: z.object({ title: z.number(), summary: z.number(), content: z.number() }),
  seedAffinity: z.number(),
  /** Saturation of the seed resemblance: evidence equal to this gives 63% of the maximum. */
  seedScale: z.number(),
  /**
   * Factor on an alert-level combination none of whose facets appears in the title: a story
   * about the interplay names one side in its headline, while names met only in the summary
   * are more often mentioned in passing. Absent means 1 (no anchoring).
   */
  titleAnchor: z.number().min(0).max(1).optional(),
  /**
   * Factor on a mention, in alert combinations, of a name listed among names the profile does
   * not know ("talks with China, Russia, France, UK"): the names are there, their interplay is
   * not shown. Absent means 1 (lists count like any mention).
   */
  enumerationFactor: z.number().min(0).max(1).optional(),
  /** The enumeration factor for items of one language, where the overlay sets it. */
  languageEnumerationFactors: z.record(z.string(), z.number().min(0).max(1)).optional(),
  facets: z.array(
    z.object({
      name: z.string(),
      description: z.string().optional(),
      derived: z.boolean(),
      patterns: z.array(PatternSchema),
    }),
  ),
  rules: z.array(
    z.object({
      facets: z.array(z.string()),
      weight: z.number(),
      level: z.enum(['match', 'alert']),
    }),
  ),
  /** The seed's characteristic words and phrases, weighted by tf-idf (max 1). */
  terms: z.array(PatternSchema),
  entities: z.array(
    z.object({ name: z.string(), variants: z.array(z.string()), count: z.number() }),
  ),
  must: z.array(PatternSchema),
  mustNot: z.array(PatternSchema),
});
/** The precomputed topic: plain JSON, served by the API and loaded by the Lambda at cold start. */
export type TopicProfile = z.infer<typeof TopicProfileSchema>;

import { z } from 'zod';

const Term = z.string().trim().min(1);
const Weight = z.number().positive().max(10);
const Threshold = z.number().min(0).max(1);

const FacetSchema = z.strictObject({
  /** Words, phrases or entity names; an entity name brings its aliases and derived forms. */
  terms: z.array(Term).min(1),
  /** How much one mention counts towards the facet (a title mention of weight 1 fills it). */
  weight: Weight.default(1),
  description: z.string().optional(),
});

const RuleSchema = z.strictObject({
  /** Facets that must all be present; the rule's strength is the product of theirs. */
  facets: z.array(z.string().min(1)).min(1),
  /** The score this combination earns when every facet is fully present. */
  weight: z.number().min(0).max(1),
  /** `alert` rules decide whether a person is told now; `match` rules only store. */
  level: z.enum(['match', 'alert']).default('match'),
});

/**
 * `seeds/profile.json`: what a user adds to the seed articles. Everything is optional; without
 * it the profile is derived from the seeds alone.
 */
export const ProfileOverlaySchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  /** Entity name -> other names for it ("Russia": ["Moscow", "Kremlin"]). */
  aliases: z.record(z.string().min(1), z.array(Term)).default({}),
  facets: z.record(z.string().min(1), FacetSchema).optional(),
  rules: z.array(RuleSchema).optional(),
  /** At least one of these must appear, or the item scores 0. */
  must: z.array(Term).default([]),
  /** Any of these appearing sets the score to 0. */
  mustNot: z.array(Term).default([]),
  thresholds: z.strictObject({ match: Threshold, alert: Threshold }).partial().default({}),
  fieldWeights: z
    .strictObject({ title: Weight, summary: Weight, content: Weight })
    .partial()
    .default({}),
  /** Share of the score that depends on resemblance to the seed text (0 = facets only). */
  seedAffinity: z.number().min(0).max(1).optional(),
  /** Factor on an alert combination none of whose facets is in the title (1 = no anchoring). */
  titleAnchor: z.number().min(0).max(1).optional(),
});
export type ProfileOverlay = z.infer<typeof ProfileOverlaySchema>;

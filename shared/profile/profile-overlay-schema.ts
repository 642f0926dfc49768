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

const Thresholds = z.strictObject({ match: Threshold, alert: Threshold });

/**
 * What the overlay says in one more language: other names for its entities and more words for
 * its facets, as a reader of that language writes them, and optionally the thresholds for items
 * in that language. Facet names and entity names are the overlay's own (English) ones.
 */
const LanguageSchema = z.strictObject({
  /** Entity name (as in `aliases`) -> its names in this language. */
  aliases: z.record(z.string().min(1), z.array(Term)).default({}),
  /** Facet name (as in `facets`) -> more terms in this language. */
  facets: z.record(z.string().min(1), z.array(Term)).default({}),
  thresholds: Thresholds.optional(),
  /** The enumeration factor for items in this language (else the overlay's). */
  enumerationFactor: z.number().min(0).max(1).optional(),
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
  thresholds: Thresholds.partial().default({}),
  /** Language code (ISO 639-1: ru, zh) -> the overlay's names and terms in that language. */
  languages: z
    .record(
      z.string().regex(/^[a-z]{2,3}$/, 'a language code such as "ru" or "zh"'),
      LanguageSchema,
    )
    .default({}),
  fieldWeights: z
    .strictObject({ title: Weight, summary: Weight, content: Weight })
    .partial()
    .default({}),
  /** Share of the score that depends on resemblance to the seed text (0 = facets only). */
  seedAffinity: z.number().min(0).max(1).optional(),
  /** Factor on an alert combination none of whose facets is in the title (1 = no anchoring). */
  titleAnchor: z.number().min(0).max(1).optional(),
  /** Factor on a name listed among names the profile does not know, in alert combinations. */
  enumerationFactor: z.number().min(0).max(1).optional(),
});
export type ProfileOverlay = z.infer<typeof ProfileOverlaySchema>;

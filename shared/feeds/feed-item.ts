import { z } from 'zod';

/** One item as newswatch keeps it, whatever feed format it came from. */
export const NormalizedItemSchema = z.object({
  /** Stable id derived from the item's primary dedupe key. */
  id: z.string().min(1),
  feedUrl: z.string(),
  feedTitle: z.string().optional(),
  guid: z.string().optional(),
  /** Canonical http(s) URL, tracking parameters stripped. */
  link: z.string().optional(),
  title: z.string(),
  /** Plain text, HTML reduced. */
  summary: z.string(),
  content: z.string().optional(),
  /** ISO 8601; absent when the feed gave no usable date. */
  published: z.string().optional(),
  language: z.string().optional(),
  author: z.string().optional(),
  /** Every key under which this item counts as already seen (canonical URL, guid, fingerprint). */
  dedupeKeys: z.array(z.string()).min(1),
});

export type NormalizedItem = z.infer<typeof NormalizedItemSchema>;

import { z } from 'zod';

/** What newswatch remembers of one feed between sweeps; `GET /feeds` shows it as health. */
export const FeedStateSchema = z.object({
  feedId: z.string(),
  url: z.string(),
  name: z.string().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  bodyHash: z.string().optional(),
  lastFetchAt: z.string().optional(),
  lastSuccessAt: z.string().optional(),
  lastUnconditionalAt: z.string().optional(),
  status: z.enum(['new', 'ok', 'failing', 'needs-attention', 'disabled']).default('new'),
  lastHttpStatus: z.number().int().optional(),
  lastErrorCode: z.string().optional(),
  lastError: z.string().optional(),
  disabledReason: z.string().optional(),
  consecutiveFailures: z.number().int().min(0).default(0),
  /** Earliest time the next poll may run (backoff, Retry-After, interval). */
  nextDueAt: z.string().optional(),
  fetchCount: z.number().int().min(0).default(0),
  notModifiedCount: z.number().int().min(0).default(0),
  errorCount: z.number().int().min(0).default(0),
  itemsSeen: z.number().int().min(0).default(0),
  matchesFound: z.number().int().min(0).default(0),
  /**
   * Digests of the items of the feed's recent documents (8 characters each, concatenated), so a
   * poll scores only the items new to this feed and stores nothing for the rest.
   */
  seenItems: z.string().optional(),
});
export type FeedState = z.infer<typeof FeedStateSchema>;

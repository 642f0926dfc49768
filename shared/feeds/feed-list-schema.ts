import { z } from 'zod';

export const FeedSpecSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  name: z.string().min(1).max(200).optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).default([]),
});

export const FeedListSchema = z.strictObject({
  feeds: z.array(FeedSpecSchema).min(1, 'the feed list is empty'),
});

export type FeedSpec = z.infer<typeof FeedSpecSchema>;
export type FeedList = z.infer<typeof FeedListSchema>;

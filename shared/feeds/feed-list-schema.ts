import { z } from 'zod';
import { cleanText } from './text-clean.ts';

/** Text from a feed list or OPML, cleaned (cleanText) before its bounds are checked. */
function cleanedText(max: number) {
  return z.string().transform(cleanText).pipe(z.string().min(1).max(max));
}

export const FeedSpecSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
    // The URL is stored and shown as written: a control, format or space character in it could
    // only be there to fool a terminal or a reader.
    .refine((url) => !/[\p{Cc}\p{Cf}\p{Z}\p{Cs}]/u.test(url), {
      error: 'must not contain control, format or space characters',
    }),
  name: cleanedText(200).optional(),
  tags: z.array(cleanedText(50)).max(20).default([]),
});

export const FeedListSchema = z.strictObject({
  feeds: z.array(FeedSpecSchema).min(1, 'the feed list is empty'),
});

export type FeedSpec = z.infer<typeof FeedSpecSchema>;
export type FeedList = z.infer<typeof FeedListSchema>;

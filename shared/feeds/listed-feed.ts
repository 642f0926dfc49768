import { z } from 'zod';
import { type FeedSpec, FeedSpecSchema } from './feed-list-schema.ts';

/** A feed in the stored feed list: its spec, the id its state is kept under, and when it came. */
export const ListedFeedSchema = z.object({
  feedId: z.string().min(1),
  ...FeedSpecSchema.shape,
  addedAt: z.string(),
});

export type ListedFeed = z.infer<typeof ListedFeedSchema>;

/** What a sweep needs of a listed feed: its spec alone. */
export function feedSpecOf(feed: ListedFeed): FeedSpec {
  return {
    url: feed.url,
    tags: feed.tags,
    ...(feed.name === undefined ? {} : { name: feed.name }),
  };
}

import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ListedFeed, ListedFeedSchema } from '#shared/feeds/listed-feed.ts';
import { type DynamoContext, queryAll, send, sendConditional } from './dynamodb-context.ts';
import { FEED_LIST_PK, KEY } from './dynamodb-keys.ts';
import { batchPutAll } from './dynamodb-retry.ts';

const LISTED_FEED_ENTITY = 'listed-feed';

function listedFeedItem(feed: ListedFeed): Record<string, unknown> {
  const valid = ListedFeedSchema.parse(feed);
  return { ...valid, ...KEY.listedFeed(valid.feedId), entity: LISTED_FEED_ENTITY };
}

/**
 * The stored feed list, or undefined when none was ever seeded: one consistent Query of the list's
 * partition, which holds the seeded marker and one item per feed.
 */
export async function readFeedList(ctx: DynamoContext): Promise<ListedFeed[] | undefined> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': FEED_LIST_PK },
    ConsistentRead: true,
  });
  if (!items.some((item) => item.sk === KEY.feedListSeeded().sk)) return undefined;
  return items
    .filter((item) => item.entity === LISTED_FEED_ENTITY)
    .map((item) => ListedFeedSchema.parse(item));
}

/**
 * Writes the first feed list, then marks the list seeded unless someone else did meanwhile; true
 * when this call marked it. Two first runs racing write the same items, so either outcome holds
 * the same list.
 */
export async function seedFeedList(ctx: DynamoContext, feeds: ListedFeed[]): Promise<boolean> {
  await batchPutAll(ctx.client, ctx.tableName, feeds.map(listedFeedItem), ctx.retry);
  return sendConditional(ctx, 'PutItem', () =>
    ctx.client.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: {
          ...KEY.feedListSeeded(),
          entity: 'feed-list-seeded',
          seededAt: ctx.now().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/** Adds one feed unless a feed with its id is listed; false when one was. */
export function addListedFeed(ctx: DynamoContext, feed: ListedFeed): Promise<boolean> {
  return sendConditional(ctx, 'PutItem', () =>
    ctx.client.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: listedFeedItem(feed),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/**
 * Removes one feed from the list, and its state with it so nothing of it lingers; false when it
 * was not listed.
 */
export async function removeListedFeed(ctx: DynamoContext, feedId: string): Promise<boolean> {
  const removed = await sendConditional(ctx, 'DeleteItem', () =>
    ctx.client.send(
      new DeleteCommand({
        TableName: ctx.tableName,
        Key: KEY.listedFeed(feedId),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    ),
  );
  if (removed) {
    await send(ctx, 'DeleteItem', () =>
      ctx.client.send(new DeleteCommand({ TableName: ctx.tableName, Key: KEY.feedState(feedId) })),
    );
  }
  return removed;
}

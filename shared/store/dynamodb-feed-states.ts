import { type DynamoContext, queryAll } from './dynamodb-context.ts';
import { FEEDS_PK, KEY } from './dynamodb-keys.ts';
import { batchGetAll, batchPutAll } from './dynamodb-retry.ts';
import { type FeedState, FeedStateSchema } from './feed-state-schema.ts';

/**
 * The states of many feeds, 100 a request. Eventually consistent (half the read units of a poll):
 * a state is written a sweep interval before the next poll reads it.
 */
export async function getFeedStates(ctx: DynamoContext, feedIds: string[]): Promise<FeedState[]> {
  const keys = [...new Set(feedIds)].map((feedId) => KEY.feedState(feedId));
  const items = await batchGetAll(ctx.client, ctx.tableName, keys, ctx.retry);
  return items.map((item) => FeedStateSchema.parse(item));
}

/** Replaces the states of many feeds, 25 a request; the last state given for a feed wins. */
export async function putFeedStates(ctx: DynamoContext, states: FeedState[]): Promise<void> {
  const latest = new Map(states.map((state) => [state.feedId, state]));
  const items = [...latest.values()].map(feedStateItem);
  await batchPutAll(ctx.client, ctx.tableName, items, ctx.retry);
}

function feedStateItem(state: FeedState): Record<string, unknown> {
  const valid = FeedStateSchema.parse(state);
  return { ...valid, ...KEY.feedState(valid.feedId), entity: 'feed-state' };
}

/** Every feed state: a paginated Query of the feeds partition, never a scan. */
export async function listFeedStates(ctx: DynamoContext): Promise<FeedState[]> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': FEEDS_PK },
    ConsistentRead: true,
  });
  return items.map((item) => FeedStateSchema.parse(item));
}

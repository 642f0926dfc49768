import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoContext, queryAll, send } from './dynamodb-context.ts';
import { FEEDS_PK, KEY } from './dynamodb-keys.ts';
import { withoutUndefined } from './dynamodb-match-codec.ts';
import { type FeedState, FeedStateSchema } from './feed-state-schema.ts';

/** The state of one feed (consistent read: the poll that follows relies on it). */
export async function getFeedState(
  ctx: DynamoContext,
  feedId: string,
): Promise<FeedState | undefined> {
  const output = await send(ctx, 'GetItem', () =>
    ctx.client.send(
      new GetCommand({
        TableName: ctx.tableName,
        Key: KEY.feedState(feedId),
        ConsistentRead: true,
      }),
    ),
  );
  return output.Item ? FeedStateSchema.parse(output.Item) : undefined;
}

/** Replaces the state of one feed. */
export async function putFeedState(ctx: DynamoContext, state: FeedState): Promise<void> {
  const valid = FeedStateSchema.parse(state);
  await send(ctx, 'PutItem', () =>
    ctx.client.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: withoutUndefined({ ...valid, ...KEY.feedState(valid.feedId), entity: 'feed-state' }),
      }),
    ),
  );
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

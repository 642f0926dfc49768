import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type DynamoContext, queryCount, send, sendConditional } from './dynamodb-context.ts';
import {
  DIGEST_PK,
  dayBucketsSince,
  dayOf,
  expiryAfter,
  INDEX_PK,
  KEY,
  timeSortKey,
} from './dynamodb-keys.ts';
import { withoutUndefined } from './dynamodb-match-codec.ts';
import type { AlertChannel, AlertClaim, DigestEntry } from './store-ports.ts';

/**
 * Takes the alert lease of a story with one conditional write: free, released or expired leases
 * can be taken; a sent alert or a live lease cannot. Two racers never both get 'claimed'. The
 * lease carries the claimer's `token`, so a write that succeeded but whose answer was lost (and
 * was retried) is still recognised as this claimer's, and only this claimer can release it.
 */
export async function claimAlert(
  ctx: DynamoContext,
  storyId: string,
  matchId: string,
  leaseSeconds: number,
  token: string,
): Promise<AlertClaim> {
  const now = ctx.now();
  const claimed = await sendConditional(ctx, 'UpdateItem', () =>
    ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: KEY.alert(storyId),
        UpdateExpression:
          'SET entity = :entity, storyId = :storyId, #state = :claimed, matchId = :matchId, ' +
          'claimedAt = :claimedAt, leaseUntil = :leaseUntil, claimToken = :token, ' +
          'expiresAt = :expiresAt',
        ConditionExpression:
          'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil <= :nowMs)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':entity': 'alert',
          ':storyId': storyId,
          ':claimed': 'claimed',
          ':matchId': matchId,
          ':claimedAt': now.toISOString(),
          ':leaseUntil': now.getTime() + leaseSeconds * 1000,
          ':nowMs': now.getTime(),
          ':token': token,
          ':expiresAt': expiryAfter(now.toISOString(), ctx.matchRetentionDays),
        },
      }),
    ),
  );
  if (claimed) return 'claimed';
  const current = await send(ctx, 'GetItem', () =>
    ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: KEY.alert(storyId), ConsistentRead: true }),
    ),
  );
  if (current.Item?.state === 'sent') return 'already-sent';
  return current.Item?.state === 'claimed' && current.Item.claimToken === token
    ? 'claimed'
    : 'in-flight';
}

/** Records the alert as sent; repeating it changes nothing (the first send time stays). */
export async function markAlertSent(
  ctx: DynamoContext,
  storyId: string,
  matchId: string,
  sentAt: string,
  messageId?: string,
  channel?: AlertChannel,
): Promise<void> {
  await sendConditional(ctx, 'UpdateItem', () =>
    ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: KEY.alert(storyId),
        UpdateExpression:
          'SET entity = :entity, storyId = :storyId, #state = :sent, matchId = :matchId, ' +
          'sentAt = :sentAt, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, expiresAt = :expiresAt' +
          (messageId ? ', messageId = :messageId' : '') +
          (channel ? ', channel = :channel' : '') +
          ' REMOVE leaseUntil',
        ConditionExpression: 'attribute_not_exists(#state) OR #state <> :sent',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: withoutUndefined({
          ':entity': 'alert',
          ':storyId': storyId,
          ':sent': 'sent',
          ':matchId': matchId,
          ':sentAt': sentAt,
          ':gsi1pk': INDEX_PK.alertsByDay(dayOf(sentAt)),
          ':gsi1sk': timeSortKey(sentAt, storyId),
          ':expiresAt': expiryAfter(sentAt, ctx.matchRetentionDays),
          ':messageId': messageId,
          ':channel': channel,
        }),
      }),
    ),
  );
}

/**
 * Gives back a lease that is still only claimed; a sent alert stays sent. With the claimer's
 * token, only that claimer's lease is released, never one another claimer took after it expired.
 */
export async function releaseAlert(
  ctx: DynamoContext,
  storyId: string,
  token?: string,
): Promise<void> {
  await sendConditional(ctx, 'DeleteItem', () =>
    ctx.client.send(
      new DeleteCommand({
        TableName: ctx.tableName,
        Key: KEY.alert(storyId),
        ConditionExpression: token
          ? '#state = :claimed AND claimToken = :token'
          : '#state = :claimed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: token
          ? { ':claimed': 'claimed', ':token': token }
          : { ':claimed': 'claimed' },
      }),
    ),
  );
}

/** Alerts sent since the given time: a COUNT query per day bucket up to now. */
export async function countAlertsSince(ctx: DynamoContext, sinceIso: string): Promise<number> {
  let count = 0;
  const low = timeSortKey(sinceIso, '');
  for (const day of dayBucketsSince(ctx.now(), sinceIso)) {
    count += await queryCount(ctx, {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :low',
      ExpressionAttributeValues: { ':pk': INDEX_PK.alertsByDay(day), ':low': low },
    });
  }
  return count;
}

/** Queues an entry for the next digest; the same entry queued twice is stored once. */
export async function enqueueDigest(ctx: DynamoContext, entry: DigestEntry): Promise<void> {
  await send(ctx, 'PutItem', () =>
    ctx.client.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: {
          ...KEY.digest(entry.queuedAt, entry.storyId, entry.matchId),
          entity: 'digest',
          storyId: entry.storyId,
          matchId: entry.matchId,
          queuedAt: entry.queuedAt,
        },
      }),
    ),
  );
}

/**
 * Up to `limit` queued entries, oldest first, after `after` when given. Nothing is removed: the
 * flush removes an entry once its story is sent or settled, and the story's alert lease (not the
 * queue) keeps two concurrent flushes from sending one story twice.
 */
export async function readDigest(
  ctx: DynamoContext,
  limit: number,
  after?: DigestEntry,
): Promise<DigestEntry[]> {
  const output = await send(ctx, 'Query', () =>
    ctx.client.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': DIGEST_PK },
        ConsistentRead: true,
        Limit: limit,
        ExclusiveStartKey: after
          ? KEY.digest(after.queuedAt, after.storyId, after.matchId)
          : undefined,
      }),
    ),
  );
  return (output.Items ?? []).map((item) => ({
    storyId: String(item.storyId),
    matchId: String(item.matchId),
    queuedAt: String(item.queuedAt),
  }));
}

/** Removes entries from the digest queue; one already removed is no error. */
export async function removeDigest(ctx: DynamoContext, entries: DigestEntry[]): Promise<void> {
  for (const entry of entries) {
    await send(ctx, 'DeleteItem', () =>
      ctx.client.send(
        new DeleteCommand({
          TableName: ctx.tableName,
          Key: KEY.digest(entry.queuedAt, entry.storyId, entry.matchId),
        }),
      ),
    );
  }
}

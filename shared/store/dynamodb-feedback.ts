import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoContext, send, sendConditional } from './dynamodb-context.ts';
import { FEEDBACK_PK, KEY } from './dynamodb-keys.ts';
import { type Feedback, type FeedbackPage, FeedbackSchema } from './feedback-schema.ts';
import { InvalidCursorError } from './store-errors.ts';

const SORT_PREFIX = 'ITEM#';

/**
 * Feedback items: one per graded item under the FEEDBACK partition, the last grade with the
 * earlier ones in `history`. They carry no TTL: a user's labels outlive the matches they grade.
 */
export async function getFeedback(ctx: DynamoContext, id: string): Promise<Feedback | undefined> {
  const output = await send(ctx, 'GetItem', () =>
    ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: KEY.feedback(id), ConsistentRead: true }),
    ),
  );
  return output.Item ? FeedbackSchema.parse(output.Item) : undefined;
}

export function putFeedback(
  ctx: DynamoContext,
  feedback: Feedback,
  expectedGradedAt?: string,
): Promise<boolean> {
  const valid = FeedbackSchema.parse(feedback);
  return sendConditional(ctx, 'PutItem', () =>
    ctx.client.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: { ...valid, ...KEY.feedback(valid.id), entity: 'feedback' },
        ...(expectedGradedAt === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'gradedAt = :expected',
              ExpressionAttributeValues: { ':expected': expectedGradedAt },
            }),
      }),
    ),
  );
}

/** One page of the partition in id order; the cursor is the last id given, encoded. */
export async function listFeedback(
  ctx: DynamoContext,
  query: { limit: number; cursor?: string },
): Promise<FeedbackPage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const output = await send(ctx, 'Query', () =>
    ctx.client.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': FEEDBACK_PK, ':prefix': SORT_PREFIX },
        ...(after === undefined ? {} : { ExclusiveStartKey: KEY.feedback(after) }),
        Limit: query.limit,
        ConsistentRead: true,
      }),
    ),
  );
  const items = (output.Items ?? []).map((item) => FeedbackSchema.parse(item));
  const last = items.at(-1);
  return {
    items,
    ...(output.LastEvaluatedKey && last ? { nextCursor: encodeCursor(last.id) } : {}),
  };
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** A cursor only positions within the feedback partition, so any id it names is harmless. */
function decodeCursor(cursor: string): string {
  const id = /^[A-Za-z0-9_-]{1,700}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  if (id === '' || encodeCursor(id) !== cursor) {
    throw new InvalidCursorError('not a feedback cursor this API issued');
  }
  return id;
}

import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailed, type RetryPolicy, withThrottleRetry } from './dynamodb-retry.ts';

/** What every part of the DynamoDB adapter needs: the client, the table and the policies. */
export interface DynamoContext {
  client: DynamoDBDocumentClient;
  tableName: string;
  retry: RetryPolicy;
  now: () => Date;
  matchRetentionDays: number;
  ledgerRetentionDays: number;
  /** Most items one match page examines and most queries it sends. */
  pageBudget: PageBudget;
}

/** Bounds the read cost of one match page whatever the filters reject or the table holds. */
export interface PageBudget {
  items: number;
  queries: number;
}

export const DEFAULT_PAGE_BUDGET: PageBudget = { items: 300, queries: 16 };

/** Sends one command with throttling retried (see withThrottleRetry). */
export function send<T>(ctx: DynamoContext, operation: string, call: () => Promise<T>): Promise<T> {
  return withThrottleRetry(operation, ctx.retry, call);
}

/**
 * Sends one conditional write: true when it was applied, false when its condition failed, which
 * for idempotent writes means "already so", not an error. Every other failure is thrown.
 */
export async function sendConditional<T>(
  ctx: DynamoContext,
  operation: string,
  call: () => Promise<T>,
): Promise<boolean> {
  try {
    await send(ctx, operation, call);
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** The store's clock in epoch seconds, the unit of the TTL attribute. */
export function nowSeconds(ctx: DynamoContext): number {
  return Math.floor(ctx.now().getTime() / 1000);
}

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>;

/**
 * Every page of one Query, in order, with throttling retried; with a limit, stops once that many
 * items are in hand and asks no page for more than are still missing.
 */
export async function queryAll(
  ctx: DynamoContext,
  input: QueryInput,
  limit = Number.POSITIVE_INFINITY,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const missing = limit - items.length;
    const output = await send(ctx, 'Query', () =>
      ctx.client.send(
        new QueryCommand({
          ...input,
          TableName: ctx.tableName,
          ExclusiveStartKey: startKey,
          ...(Number.isFinite(missing) ? { Limit: missing } : {}),
        }),
      ),
    );
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
  } while (startKey && items.length < limit);
  return items;
}

/** How many items one Query matches, over every page (Select COUNT reads no attributes). */
export async function queryCount(ctx: DynamoContext, input: QueryInput): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await send(ctx, 'Query', () =>
      ctx.client.send(
        new QueryCommand({
          ...input,
          TableName: ctx.tableName,
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    count += output.Count ?? 0;
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return count;
}

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type RetryPolicy, withThrottleRetry } from './dynamodb-retry.ts';

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

/** The store's clock in epoch seconds, the unit of the TTL attribute. */
export function nowSeconds(ctx: DynamoContext): number {
  return Math.floor(ctx.now().getTime() / 1000);
}

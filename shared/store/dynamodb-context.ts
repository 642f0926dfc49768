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
}

/** Sends one command with throttling retried (see withThrottleRetry). */
export function send<T>(ctx: DynamoContext, operation: string, call: () => Promise<T>): Promise<T> {
  return withThrottleRetry(operation, ctx.retry, call);
}

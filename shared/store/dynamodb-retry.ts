import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { StoreThrottledError } from './store-errors.ts';

/** How hard the store retries throttling and unprocessed batch requests before giving up. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
};

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
]);

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;

/** Whether DynamoDB refused a request for capacity reasons (worth retrying later). */
export function isThrottling(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name !== undefined && THROTTLING_ERRORS.has(name);
}

/** Whether a conditional write failed its condition (an expected outcome, not a fault). */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/** Full-jitter exponential backoff: spreads retries of many writers over time. */
function backoffMs(policy: RetryPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(Math.random() * cap);
}

/** Runs one DynamoDB call, retrying throttling with backoff; throws StoreThrottledError if it persists. */
export async function withThrottleRetry<T>(
  operation: string,
  policy: RetryPolicy,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error)) throw error;
      if (attempt + 1 >= policy.maxAttempts) {
        throw new StoreThrottledError(operation, attempt + 1, 'was throttled', error);
      }
      await sleep(backoffMs(policy, attempt));
    }
  }
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Sends `first`, then whatever comes back unprocessed, with backoff, until nothing does. */
async function untilProcessed<T>(
  operation: string,
  what: string,
  policy: RetryPolicy,
  first: T[],
  send: (pending: T[]) => Promise<T[]>,
): Promise<void> {
  let pending = first;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= policy.maxAttempts) {
      throw new StoreThrottledError(
        operation,
        attempt,
        `left ${pending.length} ${what} unprocessed`,
      );
    }
    if (attempt > 0) await sleep(backoffMs(policy, attempt - 1));
    const batch = pending;
    pending = await withThrottleRetry(operation, policy, () => send(batch));
  }
}

/**
 * Reads every key (any number, 100 per request), retrying UnprocessedKeys with backoff until done.
 * Keys must be distinct: DynamoDB rejects a batch that names a key twice.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  policy: RetryPolicy,
  options: {
    projection?: string;
    names?: Record<string, string>;
    consistent?: boolean;
  } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  for (const chunk of chunks(keys, 100)) {
    await untilProcessed('BatchGetItem', 'keys', policy, chunk, async (pending) => {
      const request = {
        Keys: pending,
        ConsistentRead: options.consistent,
        ...(options.projection
          ? { ProjectionExpression: options.projection, ExpressionAttributeNames: options.names }
          : {}),
      };
      const output = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: request } }),
      );
      found.push(...(output.Responses?.[tableName] ?? []));
      return output.UnprocessedKeys?.[tableName]?.Keys ?? [];
    });
  }
  return found;
}

/**
 * Puts every item (any number, 25 per request), retrying UnprocessedItems with backoff until done.
 * Items must have distinct keys: DynamoDB rejects a batch that names a key twice.
 */
export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  policy: RetryPolicy,
): Promise<void> {
  for (const chunk of chunks(items, 25)) {
    await untilProcessed('BatchWriteItem', 'items', policy, chunk, async (pending) => {
      const requests = pending.map((item) => ({ PutRequest: { Item: item } }));
      const output = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      return (output.UnprocessedItems?.[tableName] ?? []).flatMap((entry) =>
        entry.PutRequest?.Item ? [entry.PutRequest.Item] : [],
      );
    });
  }
}

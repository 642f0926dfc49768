import { type DynamoContext, nowSeconds } from './dynamodb-context.ts';
import { expiryAfter, isExpired, KEY } from './dynamodb-keys.ts';
import { batchGetAll, batchPutAll } from './dynamodb-retry.ts';
import type { LedgerEntry } from './store-ports.ts';

/** Ids of the entries none of whose keys is in the ledger (BatchGetItem, 100 keys a request). */
export async function filterUnseen(
  ctx: DynamoContext,
  entries: LedgerEntry[],
): Promise<Set<string>> {
  const keys = [...new Set(entries.flatMap((entry) => entry.keys))];
  const found = await batchGetAll(
    ctx.client,
    ctx.tableName,
    keys.map((key) => KEY.seen(key)),
    ctx.retry,
    // Eventually consistent (half the cost): a key marked a moment ago and read as unseen only
    // means the item is scored again and its conditional put answers 'exists'.
    { projection: 'pk, expiresAt' },
  );
  const now = nowSeconds(ctx);
  const seen = new Set(
    found.filter((item) => !isExpired(item, now)).map((item) => String(item.pk)),
  );
  return new Set(
    entries
      .filter((entry) => !entry.keys.some((key) => seen.has(KEY.seen(key).pk)))
      .map((entry) => entry.itemId),
  );
}

/** Records every key of every entry (BatchWriteItem, 25 a request), expiring after the ledger retention. */
export async function markSeen(ctx: DynamoContext, entries: LedgerEntry[]): Promise<void> {
  const seenAt = ctx.now().toISOString();
  const expiresAt = expiryAfter(seenAt, ctx.ledgerRetentionDays);
  const items = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    for (const key of entry.keys) {
      const itemKey = KEY.seen(key);
      // A batch may not name one key twice; the first entry to claim a key keeps it.
      if (!items.has(itemKey.pk)) {
        items.set(itemKey.pk, {
          ...itemKey,
          entity: 'seen',
          itemId: entry.itemId,
          seenAt,
          expiresAt,
        });
      }
    }
  }
  await batchPutAll(ctx.client, ctx.tableName, [...items.values()], ctx.retry);
}

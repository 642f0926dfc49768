import { type DynamoContext, nowSeconds } from './dynamodb-context.ts';
import { expiryAfter, isExpired, KEY } from './dynamodb-keys.ts';
import { matchFromItem } from './dynamodb-match-codec.ts';
import { batchGetAll } from './dynamodb-retry.ts';
import type { LedgerEntry, NewMatchCheck } from './store-ports.ts';

/**
 * One BatchGet (100 keys a request) of the entries' ledger keys and match items: fresh when
 * neither is there, unfinished when the match is stored but its keys were never marked.
 */
export async function checkNewMatches(
  ctx: DynamoContext,
  entries: LedgerEntry[],
): Promise<NewMatchCheck> {
  const ids = [...new Set(entries.map((entry) => entry.itemId))];
  const keys = [...new Set(entries.flatMap((entry) => entry.keys))];
  const found = await batchGetAll(
    ctx.client,
    ctx.tableName,
    [...ids.map((id) => KEY.match(id)), ...keys.map((key) => KEY.seen(key))],
    ctx.retry,
    // Eventually consistent (half the cost): a key marked a moment ago and read as unseen only
    // means the match is written again under the same key.
    { projection: 'pk, expiresAt' },
  );
  const now = nowSeconds(ctx);
  const present = new Set(
    found.filter((item) => !isExpired(item, now)).map((item) => String(item.pk)),
  );
  const fresh = new Set<string>();
  const unfinished = new Set<string>();
  for (const entry of entries) {
    const seen = entry.keys.some((key) => present.has(KEY.seen(key).pk));
    const stored = present.has(KEY.match(entry.itemId).pk);
    if (!seen && !stored) fresh.add(entry.itemId);
    else if (!seen) unfinished.add(entry.itemId);
  }
  if (unfinished.size === 0) return { fresh, unfinished: [] };
  const stored = await batchGetAll(
    ctx.client,
    ctx.tableName,
    [...unfinished].map((id) => KEY.match(id)),
    ctx.retry,
    { consistent: true },
  );
  return { fresh, unfinished: stored.map(matchFromItem) };
}

/** The ledger items of the entries, one per distinct key, expiring after the ledger retention. */
export function seenItems(ctx: DynamoContext, entries: LedgerEntry[]): Record<string, unknown>[] {
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
  return [...items.values()];
}

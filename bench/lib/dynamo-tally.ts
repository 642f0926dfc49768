import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB traffic seen by one client: requests by operation, items by kind, capacity. */
export interface DynamoTally {
  requests: Record<string, number>;
  /** Items written (put, update, delete, batch put) by the kind their partition key names. */
  itemWrites: Record<string, number>;
  /** Writes that also land in a global secondary index (one per index the item carries). */
  indexWrites: number;
  /** Items asked for by key (GetItem, BatchGetItem) and items returned by queries. */
  itemReads: number;
  /** Read units as the backend reports them, index queries included. */
  readCapacityUnits: number;
  /** Write units of the table alone: writes that land in an index are `indexWrites`. */
  writeCapacityUnits: number;
}

/** A zeroed tally. */
export function emptyTally(): DynamoTally {
  return {
    requests: {},
    itemWrites: {},
    indexWrites: 0,
    itemReads: 0,
    readCapacityUnits: 0,
    writeCapacityUnits: 0,
  };
}

/** Sum of a tally's requests over every operation. */
export function totalRequests(tally: DynamoTally): number {
  return Object.values(tally.requests).reduce((sum, count) => sum + count, 0);
}

/** Sum of a tally's item writes, optionally leaving out some kinds. */
export function totalItemWrites(tally: DynamoTally, except: string[] = []): number {
  return Object.entries(tally.itemWrites)
    .filter(([kind]) => !except.includes(kind))
    .reduce((sum, [, count]) => sum + count, 0);
}

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
type Item = Record<string, AttributeValue | unknown>;
/** The parts of a put, update or delete that say what it writes. */
interface WriteRequest {
  Item?: Item;
  Key?: Item;
  UpdateExpression?: string;
}

/** The value of a key attribute, plain (before the document client marshals) or marshalled. */
function plain(value: unknown): string {
  if (typeof value === 'string') return value;
  return (value as { S?: string } | undefined)?.S ?? '';
}

/** The kind of item a partition key belongs to, from the layout in docs/storage.md. */
export function kindOfKey(pk: unknown): string {
  const value = plain(pk);
  if (value === 'FEEDS') return 'feed-state';
  return (value.split('#')[0] ?? 'other').toLowerCase() || 'other';
}

const INDEX_KEYS = ['gsi1pk', 'gsi2pk'];

/**
 * Counts every request the client sends, the items it writes and reads, and the capacity the
 * backend reports (asking for it on every request). The middleware only observes.
 */
export function instrumentClient(client: DynamoDBClient, tally: () => DynamoTally): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const current = tally();
      const input = args.input as Record<string, unknown>;
      // INDEXES: the table's share apart, where the backend gives it (AWS and DynamoDB Local count
      // the index writes in the total, dynalite does not); index writes are counted below.
      input.ReturnConsumedCapacity = 'INDEXES';
      const operation = String(context.commandName).replace(/Command$/, '');
      current.requests[operation] = (current.requests[operation] ?? 0) + 1;
      // One write: a put carries its item, an update or delete its key (and an update may set
      // index keys in its expression); single, batched and transactional writes alike.
      const countWrite = (write: WriteRequest | undefined) => {
        if (!write) return;
        const kind = kindOfKey((write.Item ?? write.Key)?.pk);
        current.itemWrites[kind] = (current.itemWrites[kind] ?? 0) + 1;
        for (const indexKey of INDEX_KEYS) {
          if (write.Item?.[indexKey] !== undefined || write.UpdateExpression?.includes(indexKey)) {
            current.indexWrites++;
          }
        }
      };
      if (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem') {
        countWrite(input as WriteRequest);
      }
      if (operation === 'BatchWriteItem') {
        for (const requests of Object.values(
          input.RequestItems as Record<
            string,
            { PutRequest?: WriteRequest; DeleteRequest?: WriteRequest }[]
          >,
        )) {
          for (const request of requests) countWrite(request.PutRequest ?? request.DeleteRequest);
        }
      }
      if (operation === 'TransactWriteItems') {
        for (const action of input.TransactItems as {
          Put?: WriteRequest;
          Update?: WriteRequest;
          Delete?: WriteRequest;
        }[]) {
          countWrite(action.Put ?? action.Update ?? action.Delete);
        }
      }
      if (operation === 'GetItem') current.itemReads++;
      if (operation === 'BatchGetItem') {
        for (const entry of Object.values(
          input.RequestItems as Record<string, { Keys: unknown[] }>,
        )) {
          current.itemReads += entry.Keys.length;
        }
      }
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: unknown; Count?: number };
      if (operation === 'Query' || operation === 'Scan') current.itemReads += output.Count ?? 0;
      let total = 0;
      let table = 0;
      for (const entry of [output.ConsumedCapacity].flat()) {
        const consumed = entry as
          | { CapacityUnits?: number; Table?: { CapacityUnits?: number } }
          | undefined;
        total += consumed?.CapacityUnits ?? 0;
        table += consumed?.Table?.CapacityUnits ?? consumed?.CapacityUnits ?? 0;
      }
      // Reads are what they cost, index queries included; writes the table's share alone.
      if (WRITE_OPERATIONS.has(operation)) current.writeCapacityUnits += table;
      else current.readCapacityUnits += total;
      return result;
    },
    { step: 'initialize', name: 'benchDynamoTally' },
  );
}

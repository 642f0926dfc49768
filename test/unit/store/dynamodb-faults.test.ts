import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { FeedStateSchema } from '#shared/store/feed-state-schema.ts';
import { StoreThrottledError } from '#shared/store/store-errors.ts';
import { markSeen, unseenOf } from '../../fixtures/store/ledger-helpers.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';

// DynamoDB Local and dynalite never throttle nor leave batch requests unprocessed, so these
// faults are injected at the client.
const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'faults';

function newStore(maxAttempts = 4): DynamoDbStore {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));
  return new DynamoDbStore({
    client,
    tableName: TABLE,
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2 },
  });
}

const throughputExceeded = () =>
  new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
const throttled = () => new ThrottlingException({ message: 'rate exceeded', $metadata: {} });

type Request = { PutRequest?: { Item?: Record<string, unknown> } };

describe('DynamoDbStore under injected faults', () => {
  beforeEach(() => ddb.reset());
  afterEach(() => ddb.reset());

  it('retries a throttled batch write of matches until it succeeds', async () => {
    ddb
      .on(BatchWriteCommand)
      .rejectsOnce(throughputExceeded())
      .rejectsOnce(throttled())
      .resolvesOnce({})
      .rejectsOnce(throttled())
      .resolves({});
    ddb.on(UpdateCommand).resolves({});
    // The table already records matches from the fixture's month on.
    ddb.on(GetCommand).resolves({ Item: { month: '2026-11' } });

    await newStore().storeMatches([aMatch({ id: 'throttled-put' })], [], []);

    // The match item after two throttled attempts, then its facet entries after one.
    const writes = ddb.commandCalls(BatchWriteCommand).map((call) => {
      const requests = (call.args[0].input.RequestItems?.[TABLE] ?? []) as Request[];
      return requests.map((request) => request.PutRequest?.Item?.sk);
    });
    expect(writes).toEqual([
      ['MATCH'],
      ['MATCH'],
      ['MATCH'],
      ['FACET#diplomacy'],
      ['FACET#diplomacy'],
    ]);
  });

  it('surfaces throttling that persists as StoreThrottledError after every attempt', async () => {
    ddb.on(QueryCommand).rejects(throughputExceeded());

    const failure = newStore(5).listFeedStates();

    await expect(failure).rejects.toBeInstanceOf(StoreThrottledError);
    await expect(failure).rejects.toMatchObject({ operation: 'Query', attempts: 5 });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(5);
  });

  it('does not retry an error that is not throttling', async () => {
    ddb
      .on(QueryCommand)
      .rejects(Object.assign(new Error('bad key'), { name: 'ValidationException' }));

    await expect(newStore().listFeedStates()).rejects.toThrow('bad key');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('recognises its own claim when the answer to the winning write was lost', async () => {
    let token: unknown;
    ddb.on(UpdateCommand).callsFake((input) => {
      // The write landed, the answer did not; the SDK's retry then fails the condition.
      token = input.ExpressionAttributeValues[':token'];
      return Promise.reject(
        new ConditionalCheckFailedException({ message: 'condition', $metadata: {} }),
      );
    });
    ddb
      .on(GetCommand)
      .callsFake(() => Promise.resolve({ Item: { state: 'claimed', claimToken: token } }));

    expect(await newStore().claimAlert('story', 'match', 60)).toBe('claimed');
  });

  it('resends unprocessed ledger writes until every key is written', async () => {
    const written = new Set<string>();
    let call = 0;
    ddb.on(BatchWriteCommand).callsFake((input) => {
      call++;
      const requests = input.RequestItems[TABLE] as Request[];
      // Each call processes only its first two requests and hands back the rest.
      const done = requests.slice(0, 2);
      for (const request of done) written.add(String(request.PutRequest?.Item?.pk));
      const rest = requests.slice(2);
      return Promise.resolve(rest.length > 0 ? { UnprocessedItems: { [TABLE]: rest } } : {});
    });
    const entries = Array.from({ length: 7 }, (_, index) => ({
      itemId: `item-${index}`,
      keys: [`key-${index}`],
    }));

    await markSeen(newStore(10), entries);

    expect(written.size).toBe(7);
    expect(call).toBe(4);
  });

  it('reports unprocessed writes that never drain as StoreThrottledError', async () => {
    ddb
      .on(BatchWriteCommand)
      .callsFake((input) =>
        Promise.resolve({ UnprocessedItems: { [TABLE]: input.RequestItems[TABLE] } }),
      );

    await expect(markSeen(newStore(3), [{ itemId: 'stuck', keys: ['stuck-key'] }])).rejects.toThrow(
      /BatchWriteItem left 1 items unprocessed on each of 3 attempts/,
    );
  });

  it('resends unprocessed reads of ledger keys and matches until every key is read', async () => {
    const requested: number[] = [];
    ddb.on(BatchGetCommand).callsFake((input) => {
      const keys = input.RequestItems[TABLE].Keys as Record<string, unknown>[];
      requested.push(keys.length);
      const [first, ...rest] = keys;
      return Promise.resolve({
        Responses: { [TABLE]: first ? [{ pk: first.pk }] : [] },
        ...(rest.length > 0 ? { UnprocessedKeys: { [TABLE]: { Keys: rest } } } : {}),
      });
    });
    const entries = ['a', 'b', 'c'].map((key) => ({ itemId: key, keys: [key] }));

    const unseen = await unseenOf(newStore(10), entries);

    expect(unseen.size).toBe(0);
    expect(requested).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('reports unprocessed reads that never drain as StoreThrottledError', async () => {
    ddb
      .on(BatchGetCommand)
      .callsFake((input) =>
        Promise.resolve({ Responses: {}, UnprocessedKeys: input.RequestItems }),
      );

    await expect(
      unseenOf(newStore(3), [{ itemId: 'stuck', keys: ['stuck-key'] }]),
    ).rejects.toBeInstanceOf(StoreThrottledError);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(3);
  });

  it('retries a throttled batch read, then completes it', async () => {
    ddb
      .on(BatchGetCommand)
      .rejectsOnce(throttled())
      .resolves({ Responses: { [TABLE]: [] } });

    const unseen = await unseenOf(newStore(), [{ itemId: 'new', keys: ['new-key'] }]);

    expect([...unseen]).toEqual(['new']);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('resends unprocessed feed-state reads and writes', async () => {
    type Image = Record<string, unknown>;
    const table = new Map<string, Image>();
    ddb.on(BatchWriteCommand).callsFake((input) => {
      const [first, ...rest] = input.RequestItems[TABLE];
      const item = first.PutRequest.Item as Image;
      table.set(String(item.sk), item);
      return Promise.resolve(rest.length > 0 ? { UnprocessedItems: { [TABLE]: rest } } : {});
    });
    ddb.on(BatchGetCommand).callsFake((input) => {
      const [first, ...rest] = input.RequestItems[TABLE].Keys as Image[];
      const found = first ? table.get(String(first.sk)) : undefined;
      return Promise.resolve({
        Responses: { [TABLE]: found ? [found] : [] },
        ...(rest.length > 0 ? { UnprocessedKeys: { [TABLE]: { Keys: rest } } } : {}),
      });
    });
    const states = ['a', 'b', 'c'].map((feedId) =>
      FeedStateSchema.parse({ feedId, url: `https://news.example/${feedId}`, etag: `"${feedId}"` }),
    );
    const store = newStore(10);

    await store.putFeedStates(states);
    const read = await store.getFeedStates(['a', 'b', 'c']);

    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(3);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(3);
    expect(read.sort((x, y) => x.feedId.localeCompare(y.feedId))).toEqual(states);
    expect(table.get('FEED#a')?.fetchCount).toBe(0);
  });

  it('splits large ledger writes into batches of 25', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    const entries = Array.from({ length: 60 }, (_, index) => ({
      itemId: `bulk-${index}`,
      keys: [`bulk-${index}`],
    }));

    await markSeen(newStore(), entries);

    expect(
      ddb
        .commandCalls(BatchWriteCommand)
        .map((call) => call.args[0].input.RequestItems?.[TABLE]?.length),
    ).toEqual([25, 25, 10]);
  });
});

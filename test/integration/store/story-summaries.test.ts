import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSweepStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { expiryAfter, KEY } from '#shared/store/dynamodb-keys.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { STORY_SUMMARY_MEMBERS } from '#shared/store/dynamodb-story-index.ts';
import type { StoryMember } from '#shared/store/match-schema.ts';
import type { StorySignature } from '#shared/store/store-ports.ts';
import { aSignature, STORY_NOW } from '../../fixtures/store/story-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { logRequests } from '../support/request-log.ts';
import { BACKENDS } from './backends.ts';

const RETENTION_DAYS = 365;

function fieldsOf(signature: StorySignature): StoryMember {
  const { matchId, feed, title, link } = signature;
  return { matchId, feed, title, ...(link ? { link } : {}) };
}

/** A joiner carrying its story's first copy, as the assigner hands it over. */
function carrying(joiner: StorySignature, founder: StorySignature): StorySignature {
  return { ...joiner, founder: fieldsOf(founder) };
}

/** A story's first copy and its second, which carries it: `<story>-0` and `<story>-1`. */
function storyOfTwo(story: string): [StorySignature, StorySignature] {
  const founder = aSignature(`${story}-0`, `${story}-0`, 5);
  return [founder, carrying(aSignature(`${story}-1`, founder.storyId, 4), founder)];
}

/** The summary item as the store has always written it: first copy first, then the joiners. */
function expectedSummary(members: StorySignature[]): Record<string, unknown> {
  const [first] = members;
  const storyId = first?.storyId ?? '';
  return {
    ...KEY.storySummary(storyId),
    entity: 'story',
    storyId,
    expiresAt: Math.max(
      ...members.slice(1).map((member) => expiryAfter(member.storedAt, RETENTION_DAYS)),
    ),
    members: members.map(fieldsOf),
    memberIds: members.map((member) => member.matchId),
    memberCount: members.length,
  };
}

describe.each(BACKENDS)('story summaries on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  let requests: string[] = [];

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    requests = logRequests(table.documentClient);
    store = table.store({ now: () => STORY_NOW, matchRetentionDays: RETENTION_DAYS });
  });
  beforeEach(() => {
    requests.length = 0;
  });
  afterAll(async () => close());

  async function summaryOf(storyId: string): Promise<Record<string, unknown> | undefined> {
    const output = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: KEY.storySummary(storyId) }),
    );
    return output.Item;
  }

  it('makes the summary with one conditional put when the second copy carries its founder', async () => {
    const founder = aSignature('put-0', 'put-0', 6);
    const second = aSignature('put-1', 'put-0', 5);
    await store.writeMatches([], [founder]);
    requests.length = 0;

    await store.writeMatches([], [carrying(second, founder)]);

    expect(requests).toEqual(['BatchWriteItemCommand', 'PutItemCommand']);
    expect(await summaryOf('put-0')).toEqual(expectedSummary([founder, second]));
  });

  it('makes the same summary when the second copy does not know its founder and reads it', async () => {
    const founder = aSignature('read-0', 'read-0', 6);
    const second = aSignature('read-1', 'read-0', 5);
    await store.writeMatches([], [founder]);
    requests.length = 0;

    await store.writeMatches([], [second]);

    expect(requests).toEqual([
      'BatchWriteItemCommand',
      'UpdateItemCommand',
      'GetItemCommand',
      'PutItemCommand',
    ]);
    expect(await summaryOf('read-0')).toEqual(expectedSummary([founder, second]));
  });

  it('makes the summary with one put when the founder and its second copy are written together', async () => {
    const founder = aSignature('both-0', 'both-0', 6);
    const second = aSignature('both-1', 'both-0', 5);
    const third = aSignature('both-2', 'both-0', 4);

    await store.writeMatches([], [founder, carrying(second, founder), third]);

    expect(requests).toEqual(['BatchWriteItemCommand', 'PutItemCommand']);
    expect(await summaryOf('both-0')).toEqual(expectedSummary([founder, second, third]));
  });

  it('writes one request per story when one write mixes new summaries and existing ones', async () => {
    const old = aSignature('mix-a0', 'mix-a0', 9);
    const oldSecond = aSignature('mix-a1', 'mix-a0', 8);
    const fresh = aSignature('mix-b0', 'mix-b0', 7);
    await store.writeMatches([], [old, carrying(oldSecond, old), fresh]);
    const joinerOfOld = aSignature('mix-a2', 'mix-a0', 3);
    const joinerOfFresh = aSignature('mix-b1', 'mix-b0', 3);
    const founderOfNew = aSignature('mix-c0', 'mix-c0', 2);
    const joinerOfNew = aSignature('mix-c1', 'mix-c0', 1);
    requests.length = 0;

    await store.writeMatches(
      [],
      [
        joinerOfOld,
        carrying(joinerOfFresh, fresh),
        founderOfNew,
        carrying(joinerOfNew, founderOfNew),
      ],
    );

    expect(requests).toEqual(
      backend.transactions
        ? ['BatchWriteItemCommand', 'TransactWriteItemsCommand']
        : [
            'BatchWriteItemCommand',
            // Asked once; the backend answers it has no transactions, and each story goes alone.
            'TransactWriteItemsCommand',
            'UpdateItemCommand',
            'PutItemCommand',
            'PutItemCommand',
          ],
    );
    expect(await summaryOf('mix-a0')).toEqual(expectedSummary([old, oldSecond, joinerOfOld]));
    expect(await summaryOf('mix-b0')).toEqual(expectedSummary([fresh, joinerOfFresh]));
    expect(await summaryOf('mix-c0')).toEqual(expectedSummary([founderOfNew, joinerOfNew]));
  });

  it('asks a backend without transactions only once', async () => {
    const write = (tag: string) =>
      store.writeMatches(
        [],
        ['x', 'y'].flatMap((story) => storyOfTwo(`once-${tag}${story}`)),
      );
    await write('a');
    requests.length = 0;

    await write('b');

    expect(requests).toEqual(
      backend.transactions
        ? ['BatchWriteItemCommand', 'TransactWriteItemsCommand']
        : ['BatchWriteItemCommand', 'PutItemCommand', 'PutItemCommand'],
    );
  });

  it('leaves every summary right when one story cancels the transaction', async () => {
    const founder = aSignature('cancel-a0', 'cancel-a0', 9);
    const first = aSignature('cancel-a1', 'cancel-a0', 8);
    await store.writeMatches([], [founder, carrying(first, founder)]);
    // This copy's writer still saw a story of one, so it tries to create a summary that exists.
    const late = carrying(aSignature('cancel-a2', 'cancel-a0', 4), founder);
    const other = aSignature('cancel-b0', 'cancel-b0', 6);
    const otherJoiner = carrying(aSignature('cancel-b1', 'cancel-b0', 3), other);
    requests.length = 0;

    await store.writeMatches([], [late, other, otherJoiner]);

    if (backend.transactions) {
      expect(requests).toEqual([
        'BatchWriteItemCommand',
        'TransactWriteItemsCommand',
        'PutItemCommand',
        'UpdateItemCommand',
        'PutItemCommand',
      ]);
    }
    expect(await summaryOf('cancel-a0')).toEqual(expectedSummary([founder, first, late]));
    expect(await summaryOf('cancel-b0')).toEqual(expectedSummary([other, otherJoiner]));
  });

  it('updates the summaries of many stories 100 to a transaction', async () => {
    const stories = Array.from({ length: 120 }, (_, index) => storyOfTwo(`many-${index}`));
    requests.length = 0;

    await store.writeMatches([], stories.flat());

    const transactions = requests.filter((name) => name === 'TransactWriteItemsCommand');
    // Without transactions, at most the one question whether the backend has them.
    if (backend.transactions) expect(transactions).toHaveLength(2);
    else expect(transactions.length).toBeLessThanOrEqual(1);
    for (const index of [0, 99, 100, 119]) {
      expect(await summaryOf(`many-${index}-0`)).toEqual(
        expectedSummary(stories[index] as StorySignature[]),
      );
    }
  });

  it('appends to a summary another writer made when the founder a copy carries is out of date', async () => {
    const founder = aSignature('stale-0', 'stale-0', 6);
    const first = aSignature('stale-1', 'stale-0', 5);
    const late = aSignature('stale-2', 'stale-0', 4);
    await table.store({ now: () => STORY_NOW }).writeMatches([], [founder, first]);
    requests.length = 0;

    await store.writeMatches([], [carrying(late, founder)]);

    expect(requests).toEqual(['BatchWriteItemCommand', 'PutItemCommand', 'UpdateItemCommand']);
    expect(await summaryOf('stale-0')).toEqual(expectedSummary([founder, first, late]));
  });

  it('appends with one update a copy that does not know its founder to a summary made from a carried one', async () => {
    const founder = aSignature('other-0', 'other-0', 6);
    const second = aSignature('other-1', 'other-0', 5);
    const third = aSignature('other-2', 'other-0', 4);
    await store.writeMatches([], [founder, carrying(second, founder)]);
    requests.length = 0;

    await table.store({ now: () => STORY_NOW }).writeMatches([], [third]);

    expect(requests).toEqual(['BatchWriteItemCommand', 'UpdateItemCommand']);
    expect(await summaryOf('other-0')).toEqual(expectedSummary([founder, second, third]));
  });

  it('lets two writers that both carry the founder make one summary holding both copies once', async () => {
    const founder = aSignature('race-0', 'race-0', 6);
    const left = aSignature('race-1', 'race-0', 5);
    const right = aSignature('race-2', 'race-0', 5);
    await store.writeMatches([], [founder]);

    await Promise.all([
      table.store({ now: () => STORY_NOW }).writeMatches([], [carrying(left, founder)]),
      table.store({ now: () => STORY_NOW }).writeMatches([], [carrying(right, founder)]),
    ]);

    // Whichever put lost appended its copy after the winner's.
    expect([
      expectedSummary([founder, left, right]),
      expectedSummary([founder, right, left]),
    ]).toContainEqual(await summaryOf('race-0'));
  });

  it('adds a copy carrying its founder once however often its write is repeated', async () => {
    const founder = aSignature('again-0', 'again-0', 6);
    const second = carrying(aSignature('again-1', 'again-0', 5), founder);
    await store.writeMatches([], [founder]);

    await store.writeMatches([], [second]);
    await store.writeMatches([], [second]);

    expect(await summaryOf('again-0')).toEqual(expectedSummary([founder, second]));
  });

  it('leaves a full summary as it is when a copy carrying its founder joins', async () => {
    const founder = aSignature('full-00', 'full-00', 40);
    const joiners = Array.from({ length: STORY_SUMMARY_MEMBERS - 1 }, (_, index) =>
      aSignature(`full-${String(index + 1).padStart(2, '0')}`, 'full-00', 39 - index),
    );
    await store.writeMatches([], [founder, ...joiners]);
    const late = aSignature('full-late', 'full-00', 1);

    await store.writeMatches([], [carrying(late, founder)]);

    expect(await summaryOf('full-00')).toEqual(expectedSummary([founder, ...joiners]));
    expect((await store.storyMembers('full-00')).map((member) => member.matchId)).toContain(
      'full-late',
    );
  });

  it('sends the rest of a cancelled transaction again, and nothing for a full summary', async () => {
    const founder = aSignature('fullx-00', 'fullx-00', 40);
    const joiners = Array.from({ length: STORY_SUMMARY_MEMBERS - 1 }, (_, index) =>
      aSignature(`fullx-${String(index + 1).padStart(2, '0')}`, 'fullx-00', 39 - index),
    );
    await store.writeMatches([], [founder, ...joiners]);
    const others = ['fully', 'fullz'].map(storyOfTwo);
    await store.writeMatches(
      [],
      others.map(([first]) => first as StorySignature),
    );
    requests.length = 0;

    await store.writeMatches(
      [],
      [
        aSignature('fullx-late', 'fullx-00', 1),
        ...others.map(([, joiner]) => joiner as StorySignature),
      ],
    );

    if (backend.transactions) {
      expect(requests).toEqual([
        'BatchWriteItemCommand',
        'TransactWriteItemsCommand',
        'TransactWriteItemsCommand',
      ]);
    }
    expect(await summaryOf('fullx-00')).toEqual(expectedSummary([founder, ...joiners]));
    for (const story of others) {
      expect(await summaryOf(story[0]?.storyId ?? '')).toEqual(expectedSummary(story));
    }
  });

  it('does not write the founder a copy carries into its member item', async () => {
    const founder = aSignature('item-0', 'item-0', 6);
    const second = aSignature('item-1', 'item-0', 5);

    await store.writeMatches([], [founder, carrying(second, founder)]);

    const item = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: KEY.storyMember('item-0', 'item-1') }),
    );
    expect(item.Item).toMatchObject(fieldsOf(second));
    expect(item.Item).not.toHaveProperty('founder');
  });

  it("makes a sweep's summary with one put when its second copy joins a story the assigner knew", async () => {
    let clock = STORY_NOW;
    const stories = createSweepStoryAssigner(store, { now: () => clock });
    const input = (matchId: string) => ({
      matchId,
      feed: `Outlet ${matchId}`,
      title: 'Harbour crane collapses onto cargo ship during storm',
      summary: '',
      link: `https://news.example/${matchId}`,
      storedAt: clock.toISOString(),
    });
    await stories.assign(input('sweep-0'));
    const [founder] = stories.takeMembers?.() ?? [];
    await store.writeMatches([], founder ? [founder] : []);
    clock = new Date(STORY_NOW.getTime() + 60_000);

    await stories.assign(input('sweep-1'));
    const members = stories.takeMembers?.() ?? [];
    requests.length = 0;
    await store.writeMatches([], members);

    expect(members.map((member) => member.founder?.matchId)).toEqual(['sweep-0']);
    expect(requests).toEqual(['BatchWriteItemCommand', 'PutItemCommand']);
    expect((await summaryOf('sweep-0'))?.memberIds).toEqual(['sweep-0', 'sweep-1']);
  });
});

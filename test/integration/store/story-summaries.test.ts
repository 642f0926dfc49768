import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

/** The summary item: its members in the order they were added, expiring with the last one. */
function expectedSummary(members: StorySignature[]): Record<string, unknown> {
  const [first] = members;
  const storyId = first?.storyId ?? '';
  return {
    ...KEY.storySummary(storyId),
    entity: 'story',
    storyId,
    expiresAt: expiryAfter(members[members.length - 1]?.storedAt ?? '', RETENTION_DAYS),
    members: members.map(fieldsOf),
    memberIds: members.map((member) => member.matchId),
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

  it("puts a story's summary with its first copy's batch and appends each later copy with one update", async () => {
    const founder = aSignature('one-0', 'one-0', 6);
    const second = aSignature('one-1', 'one-0', 5);
    await store.writeMatches([], [founder]);
    const founding = [...requests];
    const alone = await summaryOf('one-0');
    requests.length = 0;

    await store.writeMatches([], [second]);

    expect(founding).toEqual(['BatchWriteItemCommand']);
    expect(alone).toEqual(expectedSummary([founder]));
    expect(requests).toEqual(['BatchWriteItemCommand', 'UpdateItemCommand']);
    expect(await summaryOf('one-0')).toEqual(expectedSummary([founder, second]));
  });

  it('puts the summary of a story founded in one write with all its members, in order', async () => {
    const founder = aSignature('both-0', 'both-0', 6);
    const second = aSignature('both-1', 'both-0', 5);
    const third = aSignature('both-2', 'both-0', 4);

    await store.writeMatches([], [founder, second, third]);

    expect(requests).toEqual(['BatchWriteItemCommand']);
    expect(await summaryOf('both-0')).toEqual(expectedSummary([founder, second, third]));
  });

  it('adds the members of one write to an older story in order, in one update', async () => {
    const founder = aSignature('join-0', 'join-0', 6);
    const second = aSignature('join-1', 'join-0', 5);
    const third = aSignature('join-2', 'join-0', 4);
    await store.writeMatches([], [founder]);
    requests.length = 0;

    await store.writeMatches([], [second, third]);

    expect(requests).toEqual(['BatchWriteItemCommand', 'UpdateItemCommand']);
    expect(await summaryOf('join-0')).toEqual(expectedSummary([founder, second, third]));
  });

  it('adds the missing members of a write one by one when one of them is there already', async () => {
    const founder = aSignature('redo-0', 'redo-0', 6);
    const second = aSignature('redo-1', 'redo-0', 5);
    const third = aSignature('redo-2', 'redo-0', 4);
    await store.writeMatches([], [founder]);
    await store.writeMatches([], [second]);
    requests.length = 0;

    await store.writeMatches([], [second, third]);

    expect(requests).toEqual([
      'BatchWriteItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
    ]);
    expect(await summaryOf('redo-0')).toEqual(expectedSummary([founder, second, third]));
  });

  it('updates the summaries of many stories in one write', async () => {
    const stories = Array.from({ length: 30 }, (_, index) => [
      aSignature(`many-${index}-0`, `many-${index}-0`, 5),
      aSignature(`many-${index}-1`, `many-${index}-0`, 4),
    ]);

    await store.writeMatches([], stories.flat());

    for (const story of stories) {
      expect(await summaryOf(story[0]?.storyId ?? '')).toEqual(expectedSummary(story));
    }
  });

  it('lets two writers make one summary holding both their copies once', async () => {
    const founder = aSignature('race-0', 'race-0', 6);
    const left = aSignature('race-1', 'race-0', 5);
    const right = aSignature('race-2', 'race-0', 5);
    await store.writeMatches([], [founder]);

    await Promise.all([
      table.store({ now: () => STORY_NOW }).writeMatches([], [left]),
      table.store({ now: () => STORY_NOW }).writeMatches([], [right]),
    ]);

    const summary = await summaryOf('race-0');
    expect(summary?.memberIds).toHaveLength(3);
    expect([
      expectedSummary([founder, left, right]).members,
      expectedSummary([founder, right, left]).members,
    ]).toContainEqual(summary?.members);
  });

  it('adds a copy once however often its write is repeated', async () => {
    const founder = aSignature('again-0', 'again-0', 6);
    const second = aSignature('again-1', 'again-0', 5);
    await store.writeMatches([], [founder]);

    await store.writeMatches([], [second]);
    await store.writeMatches([], [second]);

    expect(await summaryOf('again-0')).toEqual(expectedSummary([founder, second]));
  });

  it('leaves a full summary as it is, and still records the copy as a member', async () => {
    const founder = aSignature('full-00', 'full-00', 40);
    const joiners = Array.from({ length: STORY_SUMMARY_MEMBERS - 1 }, (_, index) =>
      aSignature(`full-${String(index + 1).padStart(2, '0')}`, 'full-00', 39 - index),
    );
    await store.writeMatches([], [founder, ...joiners]);
    const late = aSignature('full-late', 'full-00', 1);

    await store.writeMatches([], [late]);

    expect(await summaryOf('full-00')).toEqual(expectedSummary([founder, ...joiners]));
    expect((await store.storyMembers('full-00')).map((member) => member.matchId)).toContain(
      'full-late',
    );
  });
});

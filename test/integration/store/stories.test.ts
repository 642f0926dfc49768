import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { STORY_SUMMARY_MEMBERS } from '#shared/store/dynamodb-story-index.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import { aSignature, HOUR_MS, STORY_NOW } from '../../fixtures/store/story-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { logRequests } from '../support/request-log.ts';
import { BACKENDS } from './backends.ts';

describe.each(BACKENDS)('story index on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  let requests: string[] = [];

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    requests = logRequests(table.documentClient);
    store = table.store({ now: () => STORY_NOW });
    // Signatures over three days, so the walk crosses day buckets.
    for (const [index, hoursAgo] of [70, 50, 30, 20, 5, 1].entries()) {
      await store.addStoryMember(aSignature(`r${index}`, `story-r${index % 3}`, hoursAgo));
    }
  });
  afterAll(async () => close());

  it('returns recent signatures newest first across day buckets', async () => {
    const since = new Date(STORY_NOW.getTime() - 60 * HOUR_MS).toISOString();

    const recent = await store.recentSignatures(since, 10);

    expect(recent.map((signature) => signature.matchId)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    expect(recent[0]).toEqual(aSignature('r5', 'story-r2', 1));
  });

  it('returns at most the requested number of signatures', async () => {
    const since = new Date(STORY_NOW.getTime() - 100 * HOUR_MS).toISOString();

    const recent = await store.recentSignatures(since, 3);

    expect(recent.map((signature) => signature.matchId)).toEqual(['r5', 'r4', 'r3']);
  });

  it('lists the members of a story, first reported first', async () => {
    const members = await store.storyMembers('story-r0');

    expect(members.map((member) => member.matchId)).toEqual(['r0', 'r3']);
  });

  it('adds the same member once however often it is added', async () => {
    const signature = aSignature('again', 'story-again', 2);
    await store.addStoryMember(signature);
    await store.addStoryMember(signature);
    await store.storeMatches(
      [aMatch({ id: 'other', storyId: 'story-again', storedAt: STORY_NOW.toISOString() })],
      [],
      [],
    );

    const members = await store.storyMembers('story-again');
    const match = await store.getMatch('other');

    expect(members.map((member) => member.matchId)).toEqual(['again']);
    expect(match?.alsoReportedBy.map((member) => member.matchId)).toEqual(['again']);
  });

  it('answers an empty list for an unknown story', async () => {
    expect(await store.storyMembers('no-such-story')).toEqual([]);
  });

  it('keeps every member of a large story while alsoReportedBy shows the first ones', async () => {
    const count = STORY_SUMMARY_MEMBERS + 5;
    for (let index = 0; index < count; index++) {
      const id = `big-${String(index).padStart(2, '0')}`;
      await store.addStoryMember(aSignature(id, 'story-big', 40 - index));
    }
    await store.storeMatches(
      [aMatch({ id: 'big-reader', storyId: 'story-big', storedAt: STORY_NOW.toISOString() })],
      [],
      [],
    );

    const members = await store.storyMembers('story-big');
    const match = await store.getMatch('big-reader');

    expect(members).toHaveLength(count);
    expect(match?.alsoReportedBy).toHaveLength(STORY_SUMMARY_MEMBERS);
    expect(match?.alsoReportedBy[0]?.matchId).toBe('big-00');
  });

  it('lets racing writers add the same member exactly once', async () => {
    const signature = aSignature('raced', 'story-raced', 3);

    await Promise.all(Array.from({ length: 5 }, () => table.store().addStoryMember(signature)));
    await store.storeMatches(
      [aMatch({ id: 'raced-reader', storyId: 'story-raced', storedAt: STORY_NOW.toISOString() })],
      [],
      [],
    );

    expect((await store.getMatch('raced-reader'))?.alsoReportedBy).toHaveLength(1);
  });

  it("lists a story's earlier copies as also reported by, first copy first", async () => {
    const first = aSignature('founder', 'founder', 6);
    await store.writeMatches([], [first]);

    await store.writeMatches(
      [],
      [aSignature('second', 'founder', 5), aSignature('third', 'founder', 4)],
    );
    await store.storeMatches(
      [aMatch({ id: 'third', storyId: 'founder', storedAt: STORY_NOW.toISOString() })],
      [],
      [],
    );

    expect((await store.storyMembers('founder')).map((member) => member.matchId)).toEqual([
      'founder',
      'second',
      'third',
    ]);
    expect((await store.getMatch('third'))?.alsoReportedBy.map((member) => member.matchId)).toEqual(
      ['founder', 'second'],
    );
  });

  it("writes a poll's match items and story members in one batch request", async () => {
    const match = aMatch({ id: 'batched', storyId: 'batched', storedAt: STORY_NOW.toISOString() });
    requests.length = 0;

    await store.writeMatches([match], [aSignature('batched', 'batched', 0)]);

    expect(requests.filter((name) => name === 'BatchWriteItemCommand')).toHaveLength(1);
    expect((await store.storyMembers('batched')).map((member) => member.matchId)).toEqual([
      'batched',
    ]);
    expect((await store.getMatch('batched'))?.storyId).toBe('batched');
  });

  it("adds a batch of members to older stories with one summary update each, a new story's summary in the batch", async () => {
    await store.writeMatches(
      [],
      [aSignature('lead', 'lead', 8), aSignature('follow-1', 'lead', 7)],
    );
    requests.length = 0;

    await store.writeMatches(
      [],
      [
        aSignature('follow-2', 'lead', 3),
        aSignature('follow-3', 'lead', 2),
        aSignature('solo', 'solo', 2),
      ],
    );

    expect(requests).toEqual(['BatchWriteItemCommand', 'UpdateItemCommand']);
    expect((await store.storyMembers('lead')).map((member) => member.matchId)).toEqual([
      'lead',
      'follow-1',
      'follow-2',
      'follow-3',
    ]);
  });
});

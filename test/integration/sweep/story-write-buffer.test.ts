import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryAssigner, createSweepStoryAssigner } from '#shared/alerts/story-assigner.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { withBatchedStoryWrites } from '#shared/sweep/story-write-buffer.ts';
import { BACKENDS } from '../store/backends.ts';
import type { TestTable } from '../support/dynamo-table.ts';

const backend = BACKENDS.find((candidate) => candidate.name === 'embedded dynalite') ?? BACKENDS[0];
const NOW = new Date();
const candidate = (matchId: string, title: string) => ({
  matchId,
  feed: 'Outlet',
  title,
  summary: title,
  storedAt: NOW.toISOString(),
});

describe('batched story writes', () => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;

  beforeAll(async () => {
    if (!backend) throw new Error('no DynamoDB backend to test on');
    ({ table, close } = await backend.open());
    store = table.store();
  });
  afterAll(async () => close());

  it('assigns at once and hands the members over to be written with the matches', async () => {
    const stories = createSweepStoryAssigner(store);
    const title = 'Harbour bridge closed after ship strikes a pillar in the night';

    const first = await stories.assign(candidate('bridge-1', title));
    const copy = await stories.assign(candidate('bridge-2', `${title} again`));
    const before = await store.storyMembers('bridge-1');
    await store.writeMatches([], stories.takeMembers?.() ?? []);

    expect(first).toEqual({ storyId: 'bridge-1', isNew: true });
    expect(copy).toEqual({ storyId: 'bridge-1', isNew: false });
    expect(before).toEqual([]);
    expect(stories.takeMembers?.()).toEqual([]);
    expect((await store.storyMembers('bridge-1')).map((member) => member.matchId)).toEqual([
      'bridge-1',
      'bridge-2',
    ]);
  });

  it('hands members given back after a failed write over again, before newer ones', async () => {
    const stories = withBatchedStoryWrites(store, (index) => createStoryAssigner(index));
    await stories.assign(candidate('flood-1', 'River floods the old town for the second time'));
    const failed = stories.takeMembers?.() ?? [];
    await stories.assign(candidate('fire-1', 'Forest fire reaches the edge of the valley town'));

    stories.returnMembers?.(failed);

    expect(stories.takeMembers?.().map((member) => member.matchId)).toEqual(['flood-1', 'fire-1']);
  });

  it('takes only the members of the matches named, and keeps the others for a later take', async () => {
    const stories = withBatchedStoryWrites(store, (index) => createStoryAssigner(index));
    await stories.assign(candidate('quake-1', 'Earthquake shakes the coast before dawn'));
    await stories.assign(candidate('strike-1', 'Dock workers strike over new shift rules'));

    const taken = stories.takeMembers?.(new Set(['strike-1'])) ?? [];

    expect(taken.map((member) => member.matchId)).toEqual(['strike-1']);
    expect(stories.takeMembers?.().map((member) => member.matchId)).toEqual(['quake-1']);
  });
});

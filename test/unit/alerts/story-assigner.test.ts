import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import type { StoryCandidateInput } from '#shared/sweep/story-assigner.ts';
import { startTestStore, type TestStore } from './alert-fixtures.ts';

const HOUR = 3_600_000;

function candidate(matchId: string, title: string, summary = ''): StoryCandidateInput {
  return {
    matchId,
    feed: `Outlet ${matchId}`,
    title,
    summary,
    link: `https://news.example/${matchId}`,
    storedAt: new Date().toISOString(),
  };
}

describe('createStoryAssigner', () => {
  let db: TestStore;

  beforeAll(async () => {
    db = await startTestStore();
  });
  afterAll(async () => {
    await db.close();
  });

  function assigner() {
    return createStoryAssigner(db.store, { now: db.clock.now });
  }
  function at(input: StoryCandidateInput): StoryCandidateInput {
    return { ...input, storedAt: db.clock.now().toISOString() };
  }

  it('starts a new story named after the first match', async () => {
    const result = await assigner().assign(
      at(candidate('first-1', 'Volcano erupts near island airport', 'Flights were cancelled.')),
    );
    expect(result).toEqual({ storyId: 'first-1', isNew: true });
  });

  it('puts a reworded copy from another outlet into the same story', async () => {
    const stories = assigner();
    await stories.assign(
      at(candidate('quake-1', 'Strong earthquake strikes mountain region, hundreds dead')),
    );
    const copy = await stories.assign(
      at(candidate('quake-2', 'Hundreds dead as strong earthquake strikes mountain region')),
    );
    expect(copy).toEqual({ storyId: 'quake-1', isNew: false });
    const members = await db.store.storyMembers('quake-1');
    expect(members.map((member) => member.matchId)).toEqual(['quake-1', 'quake-2']);
  });

  it('keeps a different event of the same day in its own story', async () => {
    const stories = assigner();
    await stories.assign(at(candidate('court-1', 'Court rules deportation plan unlawful')));
    const other = await stories.assign(
      at(candidate('tennis-1', 'Teenager wins the open final in three sets')),
    );
    expect(other).toEqual({ storyId: 'tennis-1', isNew: true });
  });

  it('starts a new story when the earlier copy is older than the window', async () => {
    const stories = createStoryAssigner(db.store, { now: db.clock.now, windowHours: 48 });
    await stories.assign(at(candidate('dam-1', 'Dam bursts after week of heavy rain in valley')));
    db.clock.advance(49 * HOUR);
    const late = await stories.assign(
      at(candidate('dam-2', 'Dam bursts after week of heavy rain in valley')),
    );
    expect(late).toEqual({ storyId: 'dam-2', isNew: true });
  });

  it('gives a retried match the story it got the first time', async () => {
    const stories = assigner();
    const input = at(candidate('retry-1', 'Central bank raises rates to a twenty year high'));
    const first = await stories.assign(input);
    const again = await stories.assign(input);
    expect(again).toEqual(first);
    expect((await db.store.storyMembers('retry-1')).map((member) => member.matchId)).toEqual([
      'retry-1',
    ]);
  });
});

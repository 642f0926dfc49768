import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import type { StoryAssigner, StoryCandidateInput } from '#shared/sweep/story-assigner.ts';
import {
  startTestStore,
  storingMembers,
  type TestStore,
} from '../../fixtures/alerts/alert-fixtures.ts';

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

  /** Stores each member as a poll does with its match; answers the story alone. */
  function storing(stories: StoryAssigner) {
    return storingMembers(db.store, stories);
  }
  function assigner() {
    return storing(createStoryAssigner(db.store, { now: db.clock.now }));
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

  it('hands back the member to store with the match, and stores nothing itself', async () => {
    const input = at(candidate('own-1', 'Glacier collapse blocks alpine pass', 'Roads closed.'));
    const { member } = await createStoryAssigner(db.store, { now: db.clock.now }).assign(input);
    expect(member).toMatchObject({
      storyId: 'own-1',
      matchId: 'own-1',
      feed: 'Outlet own-1',
      title: input.title,
      link: input.link,
      storedAt: input.storedAt,
    });
    expect(member.signature).toMatch(/^[0-9a-f]+$/);
    expect(await db.store.storyMembers('own-1')).toEqual([]);
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

  it('puts copies assigned at once (two polls of one sweep) into one story', async () => {
    const stories = assigner();
    const [first, copy] = await Promise.all([
      stories.assign(at(candidate('flood-1', 'River floods old town after record rainfall'))),
      stories.assign(at(candidate('flood-2', 'Record rainfall floods old town as river bursts'))),
    ]);
    expect(first).toEqual({ storyId: 'flood-1', isNew: true });
    expect(copy).toEqual({ storyId: 'flood-1', isNew: false });
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
    const stories = storing(createStoryAssigner(db.store, { now: db.clock.now, windowHours: 48 }));
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

  it('reads only recently stored signatures after its first assignment', async () => {
    const sinces: string[] = [];
    const counting = {
      recentSignatures: (since: string, limit: number) => {
        sinces.push(since);
        return db.store.recentSignatures(since, limit);
      },
      addStoryMember: db.store.addStoryMember.bind(db.store),
      storyMembers: db.store.storyMembers.bind(db.store),
    };
    const stories = storing(
      createStoryAssigner(counting, { now: db.clock.now, overlapMs: 60_000 }),
    );
    await stories.assign(at(candidate('cache-1', 'Port strike halts container shipping')));
    db.clock.advance(HOUR);

    const copy = await stories.assign(
      at(candidate('cache-2', 'Container shipping halted by port strike')),
    );

    expect(copy).toEqual({ storyId: 'cache-1', isNew: false });
    const windowStart = db.clock.now().getTime() - 48 * HOUR;
    expect(Date.parse(sinces[0] ?? '')).toBeLessThanOrEqual(windowStart - HOUR + 1000);
    expect(Date.parse(sinces[1] ?? '')).toBeGreaterThan(db.clock.now().getTime() - HOUR - 61_000);
  });

  it('still finds a copy another writer stored with an earlier timestamp, within the overlap', async () => {
    const stories = storing(
      createStoryAssigner(db.store, {
        now: db.clock.now,
        overlapMs: 120_000,
        refreshMs: 0,
      }),
    );
    const other = storing(createStoryAssigner(db.store, { now: db.clock.now }));
    await stories.assign(at(candidate('late-0', 'Unrelated art auction sets record price')));
    await other.assign({
      ...candidate('late-1', 'Wildfire forces thousands to flee coastal town'),
      storedAt: new Date(db.clock.now().getTime() - 60_000).toISOString(),
    });

    const copy = await stories.assign(
      at(candidate('late-2', 'Thousands flee coastal town as wildfire spreads')),
    );

    expect(copy).toEqual({ storyId: 'late-1', isNew: false });
  });

  it('asks the store at most once per refresh interval, and still sees its own new members', async () => {
    let reads = 0;
    const counting = {
      recentSignatures: (since: string, limit: number) => {
        reads++;
        return db.store.recentSignatures(since, limit);
      },
      addStoryMember: db.store.addStoryMember.bind(db.store),
      storyMembers: db.store.storyMembers.bind(db.store),
    };
    const stories = storing(createStoryAssigner(counting, { now: db.clock.now, refreshMs: 5000 }));

    await stories.assign(
      at(candidate('burst-1', 'Bridge collapses during rush hour in river city')),
    );
    const copy = await stories.assign(
      at(candidate('burst-2', 'Rush hour bridge collapse in river city')),
    );
    db.clock.advance(5000);
    await stories.assign(at(candidate('burst-3', 'Chess champion retains title after tiebreak')));

    expect(copy).toEqual({ storyId: 'burst-1', isNew: false });
    expect(reads).toBe(2);
  });
});

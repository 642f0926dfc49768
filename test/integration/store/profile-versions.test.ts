import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileOverlayVersion, ProfileStore } from '#shared/store/store-ports.ts';
import { BACKENDS } from './backends.ts';

const AT = '2031-03-04T05:06:07.000Z';

function version(overlay: string, by = 'tester'): Omit<ProfileOverlayVersion, 'number'> {
  return { overlay, createdAt: AT, createdBy: by, profileVersion: `scorer-1-${overlay.length}` };
}

describe.each(BACKENDS)('profile overlay versions on $name', (backend) => {
  let opened: Awaited<ReturnType<(typeof backend)['open']>>;
  let profiles: ProfileStore;

  beforeAll(async () => {
    opened = await backend.open();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('holds nothing and no pointer before it is seeded', async () => {
    profiles = opened.table.store().profiles;
    expect(await profiles.profileInUse()).toBeUndefined();
    expect(await profiles.listProfileVersions()).toEqual([]);
  });

  it('seeds version 1 once, however many seeders race', async () => {
    const seeded = await Promise.all(
      ['{"a":1}', '{"a":1}', '{"a":1}'].map((overlay) =>
        profiles.seedProfileVersion(version(overlay, 'seeds')),
      ),
    );
    expect(seeded).toEqual([0, 1, 2].map(() => ({ number: 1, since: AT, by: 'seeds' })));
    expect((await profiles.listProfileVersions()).map((stored) => stored.number)).toEqual([1]);
    // A later seeding changes nothing, even with another overlay.
    await profiles.seedProfileVersion(version('{"b":2}', 'seeds'));
    expect((await profiles.getProfileVersion(1))?.overlay).toBe('{"a":1}');
  });

  it('numbers added versions in turn, concurrent adds included, and lists them newest first', async () => {
    const added = await Promise.all(
      ['{"v":2}', '{"v":3}', '{"v":4}'].map((overlay) =>
        profiles.addProfileVersion({ ...version(overlay), note: 'why' }),
      ),
    );
    expect(added.map((stored) => stored.number).sort()).toEqual([2, 3, 4]);
    const listed = await profiles.listProfileVersions();
    expect(listed.map((stored) => stored.number)).toEqual([4, 3, 2, 1]);
    expect(listed[0]).toMatchObject({ createdBy: 'tester', note: 'why', createdAt: AT });
    // Adding does not move the pointer: putting a version in use is its own step.
    expect((await profiles.profileInUse())?.number).toBe(1);
  });

  it('moves the pointer to an existing version only', async () => {
    expect(await profiles.useProfileVersion({ number: 3, since: AT, by: 'tester' })).toBe(true);
    expect(await profiles.profileInUse()).toEqual({ number: 3, since: AT, by: 'tester' });
    expect(await profiles.useProfileVersion({ number: 99, since: AT, by: 'tester' })).toBe(false);
    expect((await profiles.profileInUse())?.number).toBe(3);
  });

  it('keeps the versions in their own partition, apart from matches and feeds', async () => {
    const store = opened.table.store();
    expect(await store.listFeedStates()).toEqual([]);
    expect((await store.listMatches({ limit: 10 })).items).toEqual([]);
  });
});

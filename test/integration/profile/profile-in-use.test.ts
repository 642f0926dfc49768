import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProfile, ProfileError } from '#shared/profile/load-profile.ts';
import { ProfileVersionNotFoundError } from '#shared/profile/profile-error.ts';
import { createProfileSource } from '#shared/profile/profile-in-use.ts';
import {
  applyProfileOverlay,
  listProfileVersions,
  useProfileOverlayVersion,
} from '#shared/profile/profile-versions.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { SEED_TEXT, seedsFolder } from '../../unit/profile/profile-fixtures.ts';
import { createEmbeddedTestStore } from '../support/dynamo-table.ts';

const NOW = new Date('2031-05-06T07:08:09.000Z');
const SHIPPED = { thresholds: { match: 0.3, alert: 0.6 } };

let store: DynamoDbStore;
let close: () => Promise<void>;
let seedsDir: string;

beforeEach(async () => {
  ({ store, close } = await createEmbeddedTestStore());
  seedsDir = seedsFolder({ 'a.txt': SEED_TEXT, 'profile.json': JSON.stringify(SHIPPED) });
});
afterEach(async () => {
  await close();
});

function source(thresholds = {}) {
  return createProfileSource({ profiles: store.profiles, seedsDir, thresholds, now: () => NOW });
}

describe('the profile in use', () => {
  it('is the shipped profile.json, seeded as version 1 on first use', async () => {
    const profile = await source().current();

    expect(profile.overlayVersion).toBe(1);
    expect(profile.thresholds).toEqual(SHIPPED.thresholds);
    const { inUse, versions } = await listProfileVersions({ profiles: store.profiles, seedsDir });
    expect(inUse).toEqual({ number: 1, since: NOW.toISOString(), by: 'seeds' });
    expect(versions).toHaveLength(1);
    expect(versions[0]?.profileVersion).toBe(profile.version);
  });

  it('is derived again only when the pointer moves, and then at the next read', async () => {
    const profiles = source();
    const first = await profiles.current();
    expect(await profiles.current()).toBe(first);
    const scorer = await profiles.currentScorer();
    expect(await profiles.currentScorer()).toBe(scorer);

    const applied = await applyProfileOverlay(
      { profiles: store.profiles, seedsDir, now: () => NOW },
      { thresholds: { match: 0.5, alert: 0.9 } },
      { by: 'ana', note: 'fewer, surer alerts' },
    );
    const next = await profiles.current();

    expect(applied).toMatchObject({ number: 2, createdBy: 'ana', note: 'fewer, surer alerts' });
    expect(next.overlayVersion).toBe(2);
    expect(next.thresholds).toEqual({ match: 0.5, alert: 0.9 });
    expect(next.version).toBe(applied.profileVersion);
    expect(next.version).not.toBe(first.version);
    expect((await profiles.currentScorer()).thresholds).toEqual({ match: 0.5, alert: 0.9 });
  });

  it('goes back to an older version on rollback, keeping every version', async () => {
    const deps = { profiles: store.profiles, seedsDir, now: () => NOW };
    const profiles = source();
    const shipped = await profiles.current();
    await applyProfileOverlay(deps, { thresholds: { match: 0.5 } }, { by: 'ana' });

    await useProfileOverlayVersion(deps, 1, { by: 'ana' });

    expect((await profiles.current()).version).toBe(shipped.version);
    expect((await listProfileVersions(deps)).versions.map((v) => v.number)).toEqual([2, 1]);
    await expect(useProfileOverlayVersion(deps, 7, { by: 'ana' })).rejects.toThrow(
      ProfileVersionNotFoundError,
    );
  });

  it('stores nothing for an overlay that does not validate, and names the key', async () => {
    const deps = { profiles: store.profiles, seedsDir };
    await source().current();

    const failure = applyProfileOverlay(deps, { thresholds: { match: 'high' } }, { by: 'ana' });

    await expect(failure).rejects.toThrow(ProfileError);
    await expect(failure).rejects.toThrow(/thresholds\.match/);
    expect((await listProfileVersions(deps)).versions).toHaveLength(1);
  });

  it('keeps the configured threshold overrides on top of whatever version is in use', async () => {
    await applyProfileOverlay(
      { profiles: store.profiles, seedsDir },
      { thresholds: { match: 0.5, alert: 0.9 } },
      { by: 'ana' },
    );
    expect((await source({ alert: 0.7 }).current()).thresholds).toEqual({ match: 0.5, alert: 0.7 });
  });

  it('hashes an overlay alike whatever its layout, so equal overlays have equal versions', async () => {
    const deps = { profiles: store.profiles, seedsDir };
    const written = JSON.parse(JSON.stringify({ aliases: { Maryland: ['MD'] } }));
    const first = await applyProfileOverlay(deps, written, { by: 'ana' });
    writeFileSync(join(seedsDir, 'profile.json'), JSON.stringify(written, null, 8));
    const again = await applyProfileOverlay(deps, written, { by: 'bo' });
    expect(again.profileVersion).toBe(first.profileVersion);
    expect(again.number).toBe(first.number + 1);
    // The folder's own profile is the same profile, whatever its hash.
    expect((await loadProfile(seedsDir)).facets).toEqual((await source().current()).facets);
  });
});

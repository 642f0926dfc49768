import { describe, expect, it } from 'vitest';
import { describeProfile } from '#shared/profile/describe-profile.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { SECOND_TOPIC_DIR, SEEDS_DIR } from './profile-fixtures.ts';

describe('describeProfile', () => {
  it('shows the version, thresholds, every facet and every combination', async () => {
    const profile = await loadProfile(SECOND_TOPIC_DIR);

    const text = describeProfile(profile);

    expect(text).toContain(`Topic profile ${profile.version}`);
    expect(text).toContain(
      `Thresholds: match >= ${profile.thresholds.match}, alert >= ${profile.thresholds.alert}`,
    );
    for (const facet of profile.facets) expect(text).toContain(`  ${facet.name}`);
    expect(text).toMatch(/alert\s+airbus \+ boeing\s+1/);
  });

  it('shows the enumeration factor the overlay sets, per language where it differs', async () => {
    const text = describeProfile(await loadProfile(SEEDS_DIR));

    expect(text).toContain(
      'Names listed among others, in alert combinations: × 0.75; items in ru: × 0.75; items in zh: × 1',
    );
  });

  it('says nothing of enumerations when the overlay does not set a factor', async () => {
    expect(describeProfile(await loadProfile(SECOND_TOPIC_DIR))).not.toContain('listed among');
  });
});

import { describe, expect, it } from 'vitest';
import { describeProfile } from '#shared/profile/describe-profile.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { SECOND_TOPIC_DIR } from './profile-fixtures.ts';

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
});

import { describe, expect, it } from 'vitest';
import { loadProfile, ProfileError } from '#shared/profile/load-profile.ts';
import { SECOND_TOPIC_DIR, SEED_TEXT, SEEDS_DIR, seedsFolder } from './profile-fixtures.ts';

describe('loadProfile', () => {
  it('returns a plain JSON object with a version and thresholds', async () => {
    const profile = await loadProfile(SEEDS_DIR);

    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile);
    expect(profile.version).toMatch(/^scorer-\d+-[0-9a-f]{12}$/);
    expect(profile.thresholds.match).toBeLessThan(profile.thresholds.alert);
  });

  it('joins a demonym the seeds use to its place name', async () => {
    const profile = await loadProfile(seedsFolder({ 'a.txt': SEED_TEXT }));

    const peru = profile.entities.find((entity) => entity.name === 'Tonga');
    expect(peru?.variants).toContain('tongan');
    expect(profile.entities.map((entity) => entity.name)).not.toContain('Tongan');
  });

  it('derives demonym forms common in news even when the seeds do not use them', async () => {
    const profile = await loadProfile(seedsFolder({ 'a.txt': SEED_TEXT }));

    const mexico = profile.entities.find((entity) => entity.name === 'Mexico');
    expect(mexico?.variants).toContain('mexican');
  });

  it('keeps capitalised multiword names and weighted phrases from the seeds', async () => {
    const profile = await loadProfile(seedsFolder({ 'a.txt': SEED_TEXT }));

    expect(profile.entities.map((entity) => entity.name)).toContain('Chesapeake Bay');
    expect(profile.terms.map((term) => term.text)).toContain('chesapeake bay');
    expect(profile.terms.every((term) => term.weight > 0 && term.weight <= 1)).toBe(true);
  });

  it('joins a name the seeds use on its own to the entity the overlay makes it an alias of', async () => {
    const profile = await loadProfile(SEEDS_DIR);

    const russia = profile.entities.find((entity) => entity.name === 'Russia');
    expect(russia?.variants).toEqual(expect.arrayContaining(['russians', 'moscow', 'kremlin']));
    expect(profile.entities.map((entity) => entity.name)).not.toContain('Moscow');
  });

  it('builds facets and combinations from the seeds alone when there is no overlay', async () => {
    const profile = await loadProfile(SECOND_TOPIC_DIR);

    expect(profile.facets.map((facet) => facet.name)).toEqual(['airbus', 'boeing', 'theme']);
    expect(profile.rules.find((rule) => rule.level === 'alert')?.facets).toEqual([
      'airbus',
      'boeing',
    ]);
  });

  it('lets the caller override the thresholds', async () => {
    const profile = await loadProfile(SEEDS_DIR, { thresholds: { match: 0.2 } });

    expect(profile.thresholds.match).toBe(0.2);
  });

  it('gives the same version for the same seeds and a new one when a seed changes', async () => {
    const first = await loadProfile(seedsFolder({ 'a.txt': SEED_TEXT }));
    const same = await loadProfile(seedsFolder({ 'a.txt': SEED_TEXT }));
    const changed = await loadProfile(seedsFolder({ 'a.txt': `${SEED_TEXT}\nMore.` }));

    expect(same.version).toBe(first.version);
    expect(changed.version).not.toBe(first.version);
  });

  it('reads every text article of the folder but not its README', async () => {
    const profile = await loadProfile(
      seedsFolder({ 'a.txt': SEED_TEXT, 'b.md': SEED_TEXT, 'README.md': 'How to use this folder' }),
    );

    expect(profile.seeds.map((seed) => seed.file)).toEqual(['a.txt', 'b.md']);
  });

  it('rejects a seeds folder without articles', async () => {
    await expect(loadProfile(seedsFolder({ 'feeds.json': '{}' }))).rejects.toThrow(
      /no seed articles/,
    );
  });

  it('names the overlay file when it is not valid JSON', async () => {
    const dir = seedsFolder({ 'a.txt': SEED_TEXT, 'profile.json': '{ "aliases": ' });

    await expect(loadProfile(dir)).rejects.toThrow(/profile\.json is not valid JSON/);
  });

  it('names the key of the overlay that is wrong', async () => {
    const dir = seedsFolder({
      'a.txt': SEED_TEXT,
      'profile.json': JSON.stringify({ thresholds: { match: 3 } }),
    });

    await expect(loadProfile(dir)).rejects.toThrow(/profile\.json: thresholds\.match:/);
  });

  it('rejects a combination that names a facet the overlay does not define', async () => {
    const dir = seedsFolder({
      'a.txt': SEED_TEXT,
      'profile.json': JSON.stringify({
        facets: { bay: { terms: ['Chesapeake Bay'] } },
        rules: [{ facets: ['bay', 'oysters'], weight: 1 }],
      }),
    });

    const failure = loadProfile(dir);
    await expect(failure).rejects.toBeInstanceOf(ProfileError);
    await expect(failure).rejects.toThrow(/rules\[0\]\.facets names "oysters"/);
  });
});

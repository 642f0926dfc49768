import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { ScoreResultSchema } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { SECOND_TOPIC_DIR, SEED_TEXT, SEEDS_DIR, seedsFolder } from './profile-fixtures.ts';

const OFF_TOPIC = {
  title: 'Local bakery wins a national award for its sourdough',
  summary: 'The family business has baked bread on the same street since 1952.',
};

describe('createScorer with the shipped seeds', () => {
  let scorer: Scorer;
  let seedTitle: string;
  let seedBody: string;
  beforeAll(async () => {
    scorer = createScorer(await loadProfile(SEEDS_DIR));
    const seedFile = readFileSync(join(SEEDS_DIR, '000_8de03db6547059dc.txt'), 'utf8');
    [seedTitle = '', ...[seedBody = '']] = seedFile.split(/\n\s*\n/);
  });

  it('gives a result that satisfies the shared score contract', () => {
    const result = scorer.score({ title: seedTitle, summary: seedBody });

    expect(ScoreResultSchema.parse(result)).toEqual(result);
  });

  it('answers items that touch nothing of the profile with one shared, unchangeable zero result', () => {
    const first = scorer.score({ title: 'Local bakery wins national bread award' });
    const second = scorer.score({ title: 'Rain expected over the weekend', summary: 'Cooler.' });

    expect(first).toMatchObject({ score: 0, match: false, alert: false, facets: [], terms: [] });
    expect(second).toBe(first);
    expect(Object.isFrozen(first.explanation.notes)).toBe(true);
  });

  it('alerts on the seed article itself', () => {
    const result = scorer.score({ title: seedTitle, summary: seedBody });

    expect(result).toMatchObject({ match: true, alert: true });
    expect(result.score).toBeGreaterThan(scorer.thresholds.alert);
  });

  it('matches but does not alert on one core name at a bloc the two share', () => {
    const result = scorer.score({ title: 'Putin arrives in Astana for the BRICS summit' });

    expect(result).toMatchObject({ match: true, alert: false });
    expect(result.facets).toEqual(expect.arrayContaining(['russia', 'blocs']));
  });

  it('does not match a story that only names a core entity in passing in its summary', () => {
    const result = scorer.score({
      title: 'Museum reopens after a two-year renovation',
      summary: 'Visitors from Ukraine and elsewhere queued for the new galleries.',
    });

    expect(result.match).toBe(false);
  });

  it('counts the two core names less when neither is in the title', () => {
    const summary = 'The pair have climbed towers in Russia and China without permission.';
    const passing = scorer.score({ title: 'A couple’s hobby: scaling skyscrapers', summary });
    const headline = scorer.score({ title: 'Russia and China: a couple’s hobby', summary });

    expect(passing).toMatchObject({ match: false, alert: false });
    expect(headline).toMatchObject({ match: true, alert: true });
  });

  it('counts the two core names less when they are only listed among other countries', () => {
    const listed = scorer.score({
      title: 'US holds nuclear weapons dialogue with China, Russia, France, UK',
    });
    const together = scorer.score({ title: 'China and Russia hold a nuclear weapons dialogue' });

    expect(listed).toMatchObject({ match: true, alert: false });
    expect(listed.explanation.notes.join(' ')).toContain('listed among other names: china, russia');
    expect(together).toMatchObject({ match: true, alert: true });
  });

  it('scores an unrelated story 0 with no facets', () => {
    const result = scorer.score(OFF_TOPIC);

    expect(result).toMatchObject({ score: 0, match: false, alert: false, facets: [] });
  });

  it('treats a story with only one of the two core entities as a near miss, not an alert', () => {
    const both = scorer.score({ title: 'Beijing and Moscow sign a new energy deal' });
    const one = scorer.score({ title: 'Beijing signs a new energy deal' });

    expect(both.alert).toBe(true);
    expect(one.alert).toBe(false);
    expect(one.score).toBeLessThan(both.score);
  });

  it('counts a word in the title more than the same word in the summary', () => {
    const inTitle = scorer.score({ title: 'Kremlin talks', summary: 'Talks went on late.' });
    const inSummary = scorer.score({ title: 'Talks went on late', summary: 'Kremlin talks.' });

    expect(inTitle.score).toBeGreaterThan(inSummary.score);
  });

  it('reads the content when the item has one', () => {
    const without = scorer.score({ title: 'Talks went on late' });
    const withContent = scorer.score({
      title: 'Talks went on late',
      content: 'The Kremlin said the troops would stay.',
    });

    expect(without.match).toBe(false);
    expect(withContent.score).toBeGreaterThan(without.score);
  });

  it('explains the score with the facets touched and the terms ranked by contribution', () => {
    const result = scorer.score({
      title: 'Xi Jinping hosts Putin as trade ties deepen',
      summary: 'Russian oil sales to China hit a record.',
    });

    expect(result.facets).toEqual(expect.arrayContaining(['russia', 'china']));
    expect(result.terms).toContain('xi jinping');
    const contributions = result.explanation.terms.map((term) => term.contribution);
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    expect(result.explanation.terms[0]).toMatchObject({ field: 'title' });
  });

  it('matches a phrase only when its words are adjacent, stopwords aside', () => {
    const apart = scorer.score({ title: 'Wang meets Yi' });
    const adjacent = scorer.score({ title: 'Wang Yi meets his counterpart' });

    expect(apart.terms).not.toContain('wang yi');
    expect(adjacent.terms).toContain('wang yi');
  });

  it('still scores correctly after more distinct words than its token cache holds', async () => {
    const item = { title: 'Putin and Xi meet in Beijing', summary: 'Sanctions loom.' };
    const before = scorer.score(item);
    for (let batch = 0; batch < 600; batch++) {
      const words = Array.from({ length: 100 }, (_, index) => `thq${batch}x${index}`);
      scorer.score({ title: words.join(' ') });
    }

    expect(scorer.score(item)).toEqual(before);
  });

  it('gives the same result for the same item scored twice', () => {
    const item = { title: 'Putin and Xi meet in Beijing', summary: 'Sanctions loom.' };

    expect(scorer.score(item)).toEqual(scorer.score(item));
  });
});

describe('createScorer with another topic', () => {
  let scorer: Scorer;
  beforeAll(async () => {
    scorer = createScorer(await loadProfile(SECOND_TOPIC_DIR));
  });

  it('alerts on a story that brings the two core names of the seeds together', () => {
    const result = scorer.score({ title: 'Airbus overtakes Boeing in jet deliveries again' });

    expect(result).toMatchObject({ match: true, alert: true });
  });

  it('matches a story about one core name in the seeds’ theme', () => {
    const result = scorer.score({ title: 'Ryanair orders 150 jets from Boeing' });

    expect(result).toMatchObject({ match: true, alert: false });
  });

  it('does not match a story that only shares a name with the seeds', () => {
    const result = scorer.score({ title: 'Boeing Starliner capsule docks with the space station' });

    expect(result.match).toBe(false);
  });

  it('does not match the first topic’s stories', () => {
    const result = scorer.score({ title: 'Xi and Putin meet in Moscow to deepen ties' });

    expect(result.score).toBe(0);
  });
});

describe('createScorer with must and must-not terms', () => {
  it('scores 0 and says why when a must-not term appears', async () => {
    const dir = seedsFolder({
      'a.txt': SEED_TEXT,
      'profile.json': JSON.stringify({ mustNot: ['recipe'] }),
    });
    const scorer = createScorer(await loadProfile(dir));

    const result = scorer.score({ title: 'Chesapeake Bay oyster recipe from Maryland' });

    expect(result.score).toBe(0);
    expect(result.explanation.notes).toContain('must-not term "recipe" appears');
  });

  it('scores 0 when none of the must terms appears', async () => {
    const dir = seedsFolder({
      'a.txt': SEED_TEXT,
      'profile.json': JSON.stringify({ must: ['oyster reefs'] }),
    });
    const scorer = createScorer(await loadProfile(dir));

    const without = scorer.score({ title: 'Maryland and Virginia oysters in the Chesapeake Bay' });
    const withMust = scorer.score({
      title: 'Maryland and Virginia oyster reefs in the Chesapeake Bay',
    });

    expect(without.score).toBe(0);
    expect(withMust.score).toBeGreaterThan(0);
  });
});

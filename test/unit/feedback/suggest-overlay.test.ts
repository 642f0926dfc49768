import { beforeAll, describe, expect, it } from 'vitest';
import { scoreGradedItems } from '#shared/eval/graded-eval.ts';
import type { LabeledItem } from '#shared/eval/labeled-item.ts';
import { type SuggestionReport, suggestOverlayEdits } from '#shared/feedback/suggest-overlay.ts';
import { loadProfile, profileVariants, readOverlay } from '#shared/profile/load-profile.ts';
import type { ProfileOverlay } from '#shared/profile/profile-overlay-schema.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import { SEEDS_DIR } from '../profile/profile-fixtures.ts';

/** A reader's grades: two misses on one story line, two sports results taken for the war, two right. */
const GRADED: LabeledItem[] = [
  {
    id: 'miss-1',
    lang: 'en',
    title: 'Shadow fleet tankers keep Russian crude flowing to India',
    summary: 'Insurers say the shadow fleet grew again this quarter.',
    grade: 1,
  },
  {
    id: 'miss-2',
    lang: 'en',
    title: 'Shadow fleet tanker detained off Finland',
    summary: 'Coast guard boards a tanker of the shadow fleet carrying crude.',
    grade: 1,
  },
  {
    id: 'sport-1',
    lang: 'en',
    title: 'Ukraine 1-1 England: late equaliser in Euro qualifier',
    summary: 'The qualifier at Wembley ended level after a late goal.',
    grade: 0,
  },
  {
    id: 'sport-2',
    lang: 'en',
    title: 'England beat Ukraine in qualifier as Kane scores twice',
    summary: 'Euro qualifier report from Wembley.',
    grade: 0,
  },
  {
    id: 'core-1',
    lang: 'en',
    title: 'Xi and Putin meet in Moscow',
    summary: 'The leaders of China and Russia signed deals.',
    grade: 2,
  },
  { id: 'other-1', lang: 'en', title: 'Local bakery wins award', summary: 'Bread.', grade: 0 },
];

let profile: TopicProfile;
let overlay: ProfileOverlay;
let variant: (overlay: ProfileOverlay) => TopicProfile;
let report: SuggestionReport;

beforeAll(async () => {
  profile = await loadProfile(SEEDS_DIR);
  overlay = await readOverlay(SEEDS_DIR);
  variant = await profileVariants(SEEDS_DIR);
  report = suggestOverlayEdits({ profile, overlay, variant }, GRADED);
});

function wrongIds(under: TopicProfile): string[] {
  return scoreGradedItems(under, GRADED)
    .filter((entry) => entry.decided !== entry.item.grade)
    .map((entry) => entry.item.id);
}

describe('suggestOverlayEdits', () => {
  it('starts from a profile that gets the four items wrong', () => {
    expect(wrongIds(profile).sort()).toEqual(['miss-1', 'miss-2', 'sport-1', 'sport-2']);
  });

  it('derives the same profile from the unchanged overlay, so backtests compare like with like', () => {
    expect(variant(overlay).facets).toEqual(profile.facets);
  });

  it('proposes only changes that fix more graded items than they break, best first', () => {
    expect(report.suggestions.length).toBeGreaterThan(0);
    const gains = report.suggestions.map(
      (suggestion) => suggestion.backtest.fixed.length - suggestion.backtest.broken.length,
    );
    for (const gain of gains) expect(gain).toBeGreaterThan(0);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains);
  });

  it('proposes a must-not word the false matches share and no relevant item has', () => {
    const mustNot = report.suggestions.filter((suggestion) => suggestion.kind === 'must-not');
    expect(mustNot.length).toBeGreaterThan(0);
    for (const suggestion of mustNot) {
      const word = suggestion.overlay.mustNot.at(-1) as string;
      expect(suggestion.backtest.fixed.map((item) => item.id).sort()).toEqual([
        'sport-1',
        'sport-2',
      ]);
      expect(suggestion.backtest.broken).toEqual([]);
      for (const item of GRADED.filter((graded) => graded.grade >= 1)) {
        expect(`${item.title} ${item.summary}`.toLowerCase()).not.toContain(word);
      }
    }
  });

  it('proposes a facet term the missed items share, backtested to fix them', () => {
    const terms = report.suggestions.filter((suggestion) => suggestion.kind === 'facet-term');
    expect(terms.length).toBeGreaterThan(0);
    for (const suggestion of terms) {
      expect(suggestion.backtest.fixed.map((item) => item.id)).toEqual(
        expect.arrayContaining(['miss-1']),
      );
    }
  });

  it('backtests each one as the profile it would make', () => {
    for (const suggestion of report.suggestions) {
      const after = wrongIds(variant(suggestion.overlay));
      const before = wrongIds(profile);
      expect(suggestion.backtest.fixed.map((item) => item.id).sort()).toEqual(
        before.filter((id) => !after.includes(id)).sort(),
      );
      expect(suggestion.backtest.broken.map((item) => item.id).sort()).toEqual(
        after.filter((id) => !before.includes(id)).sort(),
      );
    }
  });

  it('combines the helpful changes into one overlay that does better than any alone', () => {
    const combined = report.combined;
    expect(combined).toBeDefined();
    const best = Math.max(
      ...report.suggestions.map((s) => s.backtest.fixed.length - s.backtest.broken.length),
    );
    const gain = (combined?.backtest.fixed.length ?? 0) - (combined?.backtest.broken.length ?? 0);
    expect(gain).toBeGreaterThanOrEqual(best);
    expect(wrongIds(variant(combined?.overlay as ProfileOverlay)).length).toBe(4 - gain);
  });

  it('changes nothing it was given', async () => {
    expect(overlay).toEqual(await readOverlay(SEEDS_DIR));
  });

  it('proposes nothing when every graded item is decided as graded', () => {
    const right = GRADED.filter((item) => item.id === 'core-1' || item.id === 'other-1');
    expect(suggestOverlayEdits({ profile, overlay, variant }, right)).toEqual({ suggestions: [] });
  });
});

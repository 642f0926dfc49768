import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { sharedData } from '../../support/shared-data.ts';
import { SEEDS_DIR } from './profile-fixtures.ts';

const DEV_SET = sharedData('eval/dev.jsonl');

// A regression guard for the shipped profile; `npm run eval` prints the full figures.
describe.skipIf(!DEV_SET)('the shipped profile on the labeled dev set', () => {
  it('keeps match precision at 0.96 or more, match recall at 0.90 or more and alert precision at 0.95 or more', async () => {
    const scorer = createScorer(await loadProfile(SEEDS_DIR));
    const counts = { match: { tp: 0, fp: 0, fn: 0 }, alert: { tp: 0, fp: 0, fn: 0 } };
    for (const line of readFileSync(DEV_SET ?? '', 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line) as { title: string; summary?: string | null; grade: number };
      const result = scorer.score({ title: item.title, summary: item.summary ?? undefined });
      tally(counts.match, result.match, item.grade >= 1);
      tally(counts.alert, result.alert, item.grade === 2);
    }

    expect(precision(counts.match)).toBeGreaterThanOrEqual(0.96);
    expect(recall(counts.match)).toBeGreaterThanOrEqual(0.9);
    expect(precision(counts.alert)).toBeGreaterThanOrEqual(0.95);
    expect(recall(counts.alert)).toBeGreaterThanOrEqual(0.9);
  });
});

const MULTILINGUAL_SET = sharedData('eval/dev-multilingual.jsonl');

// Floors a little under today's figures (docs/relevance.md), so a change that loses ground in
// Russian or Chinese shows here; the Russian ones are below the 0.92 targets, which it misses.
describe.skipIf(!MULTILINGUAL_SET)('the shipped profile in Russian and Chinese', () => {
  it.each([
    { lang: 'ru', match: { p: 0.9, r: 0.86 }, alert: { p: 0.8, r: 0.88 } },
    { lang: 'zh', match: { p: 0.94, r: 0.9 }, alert: { p: 0.95, r: 0.95 } },
  ])('keeps $lang at its measured precision and recall', async ({ lang, match, alert }) => {
    const scorer = createScorer(await loadProfile(SEEDS_DIR));
    const counts = { match: { tp: 0, fp: 0, fn: 0 }, alert: { tp: 0, fp: 0, fn: 0 } };
    for (const line of readFileSync(MULTILINGUAL_SET ?? '', 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line) as {
        lang: string;
        title: string;
        summary?: string | null;
        grade: number;
      };
      if (item.lang !== lang) continue;
      const result = scorer.score({ title: item.title, summary: item.summary ?? undefined });
      tally(counts.match, result.match, item.grade >= 1);
      tally(counts.alert, result.alert, item.grade === 2);
    }

    expect(precision(counts.match)).toBeGreaterThanOrEqual(match.p);
    expect(recall(counts.match)).toBeGreaterThanOrEqual(match.r);
    expect(precision(counts.alert)).toBeGreaterThanOrEqual(alert.p);
    expect(recall(counts.alert)).toBeGreaterThanOrEqual(alert.r);
  });
});

type Counts = { tp: number; fp: number; fn: number };

function tally(counts: Counts, predicted: boolean, relevant: boolean): void {
  if (predicted && relevant) counts.tp++;
  else if (predicted) counts.fp++;
  else if (relevant) counts.fn++;
}

const precision = (counts: Counts) => counts.tp / (counts.tp + counts.fp);
const recall = (counts: Counts) => counts.tp / (counts.tp + counts.fn);

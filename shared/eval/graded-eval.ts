import { createScorer } from '#shared/profile/scorer.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import type { Grade, LabeledItem } from './labeled-item.ts';
import { type DecisionMetrics, decisionMetrics } from './relevance-metrics.ts';

/** What the profile made of one graded item. */
export interface ScoredItem {
  item: LabeledItem;
  score: number;
  /** 0 not matched, 1 matched, 2 alert-worthy: the profile's grade, comparable to the label's. */
  decided: Grade;
  /** The item's language as the scorer read it. */
  lang?: string;
}

/** One way the profile got an item wrong. */
export type ErrorKind = 'false-match' | 'missed-match' | 'false-alert' | 'missed-alert';

export interface GradedError extends ScoredItem {
  kinds: ErrorKind[];
}

export interface GradedEvaluation {
  profileVersion: string;
  thresholds: { match: number; alert: number };
  items: number;
  /** Match means grade >= 1; alert means grade 2. */
  match: DecisionMetrics;
  alert: DecisionMetrics;
  /** Items the profile decides otherwise than their grade, worst (furthest from it) first. */
  errors: GradedError[];
}

/** Scores every item with the profile, title and summary exactly as labeled. */
export function scoreGradedItems(
  profile: TopicProfile,
  items: readonly LabeledItem[],
): ScoredItem[] {
  const scorer = createScorer(profile);
  return items.map((item) => {
    // Text alone, as the labeled sets are measured: the scorer tells the language itself.
    const result = scorer.score({ title: item.title, summary: item.summary ?? undefined });
    return {
      item,
      score: result.score,
      decided: result.alert ? 2 : result.match ? 1 : 0,
      ...(result.lang ? { lang: result.lang } : {}),
    };
  });
}

/** The kinds of error of one scored item; none when the profile agrees with the label. */
export function errorKinds(scored: Pick<ScoredItem, 'decided' | 'item'>): ErrorKind[] {
  const kinds: ErrorKind[] = [];
  const { grade } = scored.item;
  if (scored.decided >= 1 && grade === 0) kinds.push('false-match');
  if (scored.decided === 0 && grade >= 1) kinds.push('missed-match');
  if (scored.decided === 2 && grade < 2) kinds.push('false-alert');
  if (scored.decided < 2 && grade === 2) kinds.push('missed-alert');
  return kinds;
}

/** Precision, recall and F1 for match and alert, with intervals, and the items it gets wrong. */
export function evaluateGraded(
  profile: TopicProfile,
  items: readonly LabeledItem[],
): GradedEvaluation {
  const scored = scoreGradedItems(profile, items);
  return summarizeScored(profile, scored);
}

/** The evaluation of items already scored with `profile`. */
function summarizeScored(
  profile: Pick<TopicProfile, 'version' | 'thresholds'>,
  scored: readonly ScoredItem[],
): GradedEvaluation {
  const errors = scored
    .map((entry) => ({ ...entry, kinds: errorKinds(entry) }))
    .filter((entry) => entry.kinds.length > 0)
    .sort(
      (a, b) =>
        Math.abs(b.decided - b.item.grade) - Math.abs(a.decided - a.item.grade) ||
        a.item.id.localeCompare(b.item.id),
    );
  return {
    profileVersion: profile.version,
    thresholds: profile.thresholds,
    items: scored.length,
    match: decisionMetrics(
      scored.map((entry) => entry.decided >= 1),
      scored.map((entry) => entry.item.grade >= 1),
    ),
    alert: decisionMetrics(
      scored.map((entry) => entry.decided === 2),
      scored.map((entry) => entry.item.grade === 2),
    ),
    errors,
  };
}

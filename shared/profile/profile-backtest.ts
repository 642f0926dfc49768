import { type Metrics, measure } from '#shared/eval/relevance-metrics.ts';
import type { ScoreInput, Scorer } from './score-types.ts';

/**
 * Where a backtest item comes from: a stored match, a graded item (the user's feedback or a
 * labeled set), or a recent item the current profile did not match.
 */
export type BacktestSource = 'stored' | 'graded' | 'recent';
export const BACKTEST_SOURCES: readonly BacktestSource[] = ['stored', 'graded', 'recent'];

export interface BacktestItem extends ScoreInput {
  id: string;
  source: BacktestSource;
  /** Graded items only: 2 = alert-worthy, 1 = relevant, 0 = not relevant. */
  grade?: 0 | 1 | 2;
}

/** What one profile decided about an item. */
export interface Decision {
  score: number;
  match: boolean;
  alert: boolean;
}

/** An item the two profiles decide differently. */
export interface BacktestChange {
  id: string;
  title: string;
  source: BacktestSource;
  grade?: 0 | 1 | 2;
  current: Decision;
  proposed: Decision;
}

/** Match and alert figures on the graded items under one profile. */
export interface GradedFigures {
  match: Metrics;
  alert: Metrics;
}

export interface BacktestReport {
  /** Items scored, by source. */
  items: Record<BacktestSource, number>;
  /** Each profile's matches and alerts among all the items. */
  totals: Record<'current' | 'proposed', { matches: number; alerts: number }>;
  newlyMatched: BacktestChange[];
  newlyAlerted: BacktestChange[];
  /** Matched now, not under the proposed profile. */
  droppedMatches: BacktestChange[];
  /** Alert-worthy now, not under the proposed profile (they may still match). */
  droppedAlerts: BacktestChange[];
  /** Present when there are graded items: how both profiles do on them. */
  graded?: { items: number; current: GradedFigures; proposed: GradedFigures };
}

/**
 * Scores every item with the current and the proposed profile and reports what changes: what
 * would newly match or alert, what would drop, and on graded items the change in match and alert
 * precision, recall and F1 (grade >= 1 is a match, 2 an alert). Pure: no I/O, no clock.
 */
export function backtestProfiles(
  items: readonly BacktestItem[],
  current: Scorer,
  proposed: Scorer,
): BacktestReport {
  const report: BacktestReport = {
    items: { stored: 0, graded: 0, recent: 0 },
    totals: { current: { matches: 0, alerts: 0 }, proposed: { matches: 0, alerts: 0 } },
    newlyMatched: [],
    newlyAlerted: [],
    droppedMatches: [],
    droppedAlerts: [],
  };
  const graded: { grade: 0 | 1 | 2; current: Decision; proposed: Decision }[] = [];
  for (const item of items) {
    report.items[item.source]++;
    const input: ScoreInput = {
      title: item.title,
      summary: item.summary,
      content: item.content,
      language: item.language,
    };
    const before = decide(current, input);
    const after = decide(proposed, input);
    count(report.totals.current, before);
    count(report.totals.proposed, after);
    const change: BacktestChange = {
      id: item.id,
      title: item.title,
      source: item.source,
      ...(item.grade === undefined ? {} : { grade: item.grade }),
      current: before,
      proposed: after,
    };
    if (!before.match && after.match) report.newlyMatched.push(change);
    if (before.match && !after.match) report.droppedMatches.push(change);
    if (!before.alert && after.alert) report.newlyAlerted.push(change);
    if (before.alert && !after.alert) report.droppedAlerts.push(change);
    if (item.grade !== undefined)
      graded.push({ grade: item.grade, current: before, proposed: after });
  }
  if (graded.length > 0) {
    report.graded = {
      items: graded.length,
      current: figures(
        graded.map((entry) => ({ grade: entry.grade, decision: entry.current })),
        current,
      ),
      proposed: figures(
        graded.map((entry) => ({ grade: entry.grade, decision: entry.proposed })),
        proposed,
      ),
    };
  }
  return report;
}

function decide(scorer: Scorer, input: ScoreInput): Decision {
  const result = scorer.score(input);
  return { score: result.score, match: result.match, alert: result.alert };
}

function count(total: { matches: number; alerts: number }, decision: Decision): void {
  if (decision.match) total.matches++;
  if (decision.alert) total.alerts++;
}

function figures(
  entries: readonly { grade: 0 | 1 | 2; decision: Decision }[],
  scorer: Scorer,
): GradedFigures {
  const scores = entries.map((entry) => entry.decision.score);
  return {
    match: measure(
      scores,
      entries.map((entry) => entry.grade >= 1),
      scorer.thresholds.match,
      entries.map((entry) => entry.decision.match),
    ),
    alert: measure(
      scores,
      entries.map((entry) => entry.grade === 2),
      scorer.thresholds.alert,
      entries.map((entry) => entry.decision.alert),
    ),
  };
}

import { type Metrics, measure } from '#shared/eval/relevance-metrics.ts';
import type { ScoreInput, Scorer } from './score-types.ts';

/**
 * Where a backtest item comes from: a stored match, a grade the user stored with `newswatch
 * feedback`, a line of a labeled set given with `--labels`, or a recent item the current profile
 * did not match.
 */
export type BacktestSource = 'stored' | 'feedback' | 'labels' | 'recent';

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

/** One profile's decisions on a list of items, in its order, with the thresholds it used. */
export interface Decisions {
  thresholds: { match: number; alert: number };
  decisions: readonly Decision[];
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
  /** Graded items the proposed profile decides as graded and the current one does not. */
  fixed: BacktestChange[];
  /** Graded items the current profile decides as graded and the proposed one does not. */
  broken: BacktestChange[];
  /** Present when there are graded items: how both profiles do on them. */
  graded?: { items: number; current: GradedFigures; proposed: GradedFigures };
}

/**
 * Scores every item with the current and the proposed profile and reports what changes: what
 * would newly match or alert, what would drop, and on graded items what it fixes and breaks and
 * the change in match and alert precision, recall and F1 (grade >= 1 is a match, 2 an alert).
 * Pure: no I/O, no clock.
 */
export function backtestProfiles(
  items: readonly BacktestItem[],
  current: Scorer,
  proposed: Scorer,
): BacktestReport {
  return compareDecisions(items, decideItems(items, current), decideItems(items, proposed));
}

/** One profile's decisions on the items; to compare many proposals with one current profile. */
export function decideItems(items: readonly BacktestItem[], scorer: Scorer): Decisions {
  return {
    thresholds: scorer.thresholds,
    decisions: items.map((item) => {
      const result = scorer.score({
        title: item.title,
        summary: item.summary,
        content: item.content,
        language: item.language,
      });
      return { score: result.score, match: result.match, alert: result.alert };
    }),
  };
}

/** The grade a decision amounts to: 2 alert, 1 match, 0 neither, comparable to a label. */
export function decidedGrade(decision: Decision): 0 | 1 | 2 {
  return decision.alert ? 2 : decision.match ? 1 : 0;
}

/** The backtest report of two profiles' decisions on the same items (see backtestProfiles). */
export function compareDecisions(
  items: readonly BacktestItem[],
  current: Decisions,
  proposed: Decisions,
): BacktestReport {
  const report: BacktestReport = {
    items: { stored: 0, feedback: 0, labels: 0, recent: 0 },
    totals: { current: { matches: 0, alerts: 0 }, proposed: { matches: 0, alerts: 0 } },
    newlyMatched: [],
    newlyAlerted: [],
    droppedMatches: [],
    droppedAlerts: [],
    fixed: [],
    broken: [],
  };
  const graded: { grade: 0 | 1 | 2; current: Decision; proposed: Decision }[] = [];
  items.forEach((item, index) => {
    report.items[item.source]++;
    const before = current.decisions[index] as Decision;
    const after = proposed.decisions[index] as Decision;
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
    if (item.grade === undefined) return;
    const rightBefore = decidedGrade(before) === item.grade;
    const rightAfter = decidedGrade(after) === item.grade;
    if (rightAfter && !rightBefore) report.fixed.push(change);
    if (rightBefore && !rightAfter) report.broken.push(change);
    graded.push({ grade: item.grade, current: before, proposed: after });
  });
  if (graded.length > 0) {
    report.graded = {
      items: graded.length,
      current: figures(
        graded.map((entry) => ({ grade: entry.grade, decision: entry.current })),
        current.thresholds,
      ),
      proposed: figures(
        graded.map((entry) => ({ grade: entry.grade, decision: entry.proposed })),
        proposed.thresholds,
      ),
    };
  }
  return report;
}

function count(total: { matches: number; alerts: number }, decision: Decision): void {
  if (decision.match) total.matches++;
  if (decision.alert) total.alerts++;
}

function figures(
  entries: readonly { grade: 0 | 1 | 2; decision: Decision }[],
  thresholds: { match: number; alert: number },
): GradedFigures {
  const scores = entries.map((entry) => entry.decision.score);
  return {
    match: measure(
      scores,
      entries.map((entry) => entry.grade >= 1),
      thresholds.match,
      entries.map((entry) => entry.decision.match),
    ),
    alert: measure(
      scores,
      entries.map((entry) => entry.grade === 2),
      thresholds.alert,
      entries.map((entry) => entry.decision.alert),
    ),
  };
}

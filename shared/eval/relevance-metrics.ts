/**
 * Precision, recall and F1 of a yes/no decision against graded truth, with intervals that show
 * how much a handful of labels can tell.
 *
 * Precision and recall are proportions (right decisions among those made, found items among
 * those to find), so each gets the Wilson score interval: unlike the textbook normal (Wald)
 * interval it stays inside [0, 1] and does not shrink to a point when every one of a few labels
 * agrees (5 of 5 right is [0.57, 1], not [1, 1]), which is exactly the case of a user with few
 * labels. A bootstrap has the same flaw at the extremes: resampling 5 right answers only ever
 * yields 5 right answers. F1 has no binomial form: its interval is the F1 of the two lower and of
 * the two upper Wilson bounds, wider than a joint 95 % interval would be (both ends at once),
 * which errs on the side of saying the labels tell less.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959964;

export interface Interval {
  low: number;
  high: number;
}

export interface Confusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

export interface DecisionMetrics extends Confusion {
  precision: number;
  recall: number;
  f1: number;
  /** 95 % intervals. */
  intervals: { precision: Interval; recall: Interval; f1: Interval };
}

/** Counts the four outcomes of `decided` against `truth`, item by item. */
export function confusion(decided: readonly boolean[], truth: readonly boolean[]): Confusion {
  const counts: Confusion = {
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    trueNegatives: 0,
  };
  decided.forEach((yes, index) => {
    const relevant = truth[index] === true;
    if (yes && relevant) counts.truePositives++;
    else if (yes) counts.falsePositives++;
    else if (relevant) counts.falseNegatives++;
    else counts.trueNegatives++;
  });
  return counts;
}

/** Wilson score interval for `successes` of `trials`; [0, 1] when there are no trials. */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval {
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** Harmonic mean of precision and recall; 0 when both are. */
export function f1Of(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Precision, recall and F1 with their 95 % intervals (see the module comment for the method). */
export function decisionMetrics(
  decided: readonly boolean[],
  truth: readonly boolean[],
): DecisionMetrics {
  const counts = confusion(decided, truth);
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const precisionInterval = wilsonInterval(tp, tp + fp);
  const recallInterval = wilsonInterval(tp, tp + fn);
  return {
    ...counts,
    precision,
    recall,
    f1: f1Of(precision, recall),
    intervals: {
      precision: precisionInterval,
      recall: recallInterval,
      f1: {
        low: f1Of(precisionInterval.low, recallInterval.low),
        high: f1Of(precisionInterval.high, recallInterval.high),
      },
    },
  };
}

/** Cost of a false alarm relative to a miss in C_norm (the TDT detection cost). */
export const FA_COST = 4.9;

/** How well yes/no decisions agree with the labels, for one task (match or alert). */
export interface Metrics {
  precision: number;
  recall: number;
  f1: number;
  cNorm: number;
  averagePrecision: number;
  threshold?: number;
}

/**
 * Precision, recall, F1 and C_norm of the decisions, and the average precision of the ranking by
 * score; `threshold` is carried into the result for the report.
 */
export function measure(
  scores: readonly number[],
  truth: readonly boolean[],
  threshold: number,
  decided: readonly boolean[],
): Metrics {
  const metrics = decisionMetrics(decided, truth);
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = metrics;
  const positives = tp + fn;
  const negatives = truth.length - positives;
  return {
    precision: round(metrics.precision),
    recall: round(metrics.recall),
    f1: round(metrics.f1),
    cNorm: round(fn / positives + FA_COST * (fp / negatives)),
    averagePrecision: round(averagePrecision(scores, truth)),
    threshold,
  };
}

/** Average precision of a ranking; tied scores share the precision at the end of their tie. */
export function averagePrecision(scores: readonly number[], truth: readonly boolean[]): number {
  const order = scores.map((score, index) => ({ score, relevant: truth[index] ?? false }));
  order.sort((a, b) => b.score - a.score);
  const positives = order.filter((entry) => entry.relevant).length;
  let seen = 0;
  let found = 0;
  let sum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    let inTie = 0;
    while (end < order.length && order[end]?.score === order[start]?.score) {
      if (order[end]?.relevant) inTie++;
      end++;
    }
    seen = end;
    found += inTie;
    sum += inTie * (found / seen);
    start = end;
  }
  return positives === 0 ? 0 : sum / positives;
}

/** Three decimals: the precision the reports print. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

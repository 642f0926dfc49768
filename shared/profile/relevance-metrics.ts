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

/** Decided yes and labeled yes, decided yes and labeled no, labeled yes but decided no. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export function countDecisions(truth: readonly boolean[], decided: readonly boolean[]): Counts {
  const counts = { tp: 0, fp: 0, fn: 0 };
  decided.forEach((yes, index) => {
    if (yes && truth[index]) counts.tp++;
    else if (yes) counts.fp++;
    else if (truth[index]) counts.fn++;
  });
  return counts;
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
  const { tp, fp, fn } = countDecisions(truth, decided);
  const positives = tp + fn;
  const negatives = truth.length - positives;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = positives === 0 ? 0 : tp / positives;
  return {
    precision: round(precision),
    recall: round(recall),
    f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
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

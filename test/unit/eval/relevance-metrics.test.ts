import { describe, expect, it } from 'vitest';
import { confusion, decisionMetrics, wilsonInterval } from '#shared/eval/relevance-metrics.ts';

describe('wilsonInterval', () => {
  it('does not collapse to a point when every one of a few labels agrees', () => {
    const interval = wilsonInterval(5, 5);
    expect(interval.high).toBe(1);
    // 5 of 5: the 95 % Wilson lower bound is n / (n + z^2) = 5 / 8.84.
    expect(interval.low).toBeCloseTo(5 / (5 + 1.959964 ** 2), 6);
  });

  it('narrows as labels accumulate at the same proportion', () => {
    const few = wilsonInterval(8, 10);
    const many = wilsonInterval(800, 1000);
    expect(few.high - few.low).toBeGreaterThan(0.4);
    expect(many.high - many.low).toBeLessThan(0.06);
    expect(many.low).toBeLessThan(0.8);
    expect(many.high).toBeGreaterThan(0.8);
  });

  it('matches the textbook value for 8 of 10', () => {
    // Wilson 95 % for 8/10, as tabulated (e.g. Newcombe 1998): 0.490 to 0.943.
    const interval = wilsonInterval(8, 10);
    expect(interval.low).toBeCloseTo(0.49, 2);
    expect(interval.high).toBeCloseTo(0.943, 2);
  });

  it('says nothing is known without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('decisionMetrics', () => {
  const truth = [true, true, true, false, false, true];
  const decided = [true, true, false, true, false, true];

  it('counts the four outcomes', () => {
    expect(confusion(decided, truth)).toEqual({
      truePositives: 3,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 1,
    });
  });

  it('gives precision, recall and F1 inside their intervals', () => {
    const metrics = decisionMetrics(decided, truth);
    expect(metrics.precision).toBe(0.75);
    expect(metrics.recall).toBe(0.75);
    expect(metrics.f1).toBe(0.75);
    for (const name of ['precision', 'recall', 'f1'] as const) {
      expect(metrics.intervals[name].low).toBeLessThan(metrics[name]);
      expect(metrics.intervals[name].high).toBeGreaterThan(metrics[name]);
    }
  });

  it('reports zero precision, not NaN, when nothing was decided', () => {
    const metrics = decisionMetrics([false, false], [true, false]);
    expect(metrics.precision).toBe(0);
    expect(metrics.f1).toBe(0);
    expect(metrics.intervals.precision).toEqual({ low: 0, high: 1 });
  });
});

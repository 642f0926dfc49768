import { describe, expect, it } from 'vitest';
import type { LabeledItem } from '#shared/eval/labeled-item.ts';
import { backtestItemOfLabeled, combineBacktestItems } from '#shared/profile/backtest-items.ts';
import type { BacktestItem } from '#shared/profile/profile-backtest.ts';

const GRADED: LabeledItem = {
  id: 'a',
  lang: 'ru',
  title: 'Xi and Putin meet in Moscow',
  summary: 'The leaders sign deals.',
  grade: 2,
};

function item(id: string, source: BacktestItem['source'], grade?: 0 | 1 | 2): BacktestItem {
  return { id, source, title: `${source} ${id}`, ...(grade === undefined ? {} : { grade }) };
}

describe('backtestItemOfLabeled', () => {
  it('keeps the text and grade and leaves the language to the scorer, as eval does', () => {
    expect(backtestItemOfLabeled(GRADED, 'feedback')).toEqual({
      id: 'a',
      source: 'feedback',
      title: 'Xi and Putin meet in Moscow',
      summary: 'The leaders sign deals.',
      grade: 2,
    });
    expect(backtestItemOfLabeled({ ...GRADED, summary: null }, 'labels')).toMatchObject({
      source: 'labels',
      summary: undefined,
    });
  });
});

describe('combineBacktestItems', () => {
  it('keeps each id once, from the first group that holds it, and counts the rest', () => {
    const { items, repeated } = combineBacktestItems([
      [item('m1', 'feedback', 0)],
      [item('m1', 'labels', 2), item('x', 'labels', 1)],
      [item('m1', 'stored'), item('x', 'stored'), item('s', 'stored')],
      [item('r', 'recent'), item('s', 'recent')],
    ]);
    expect(items).toEqual([
      item('m1', 'feedback', 0),
      item('x', 'labels', 1),
      item('s', 'stored'),
      item('r', 'recent'),
    ]);
    expect(repeated).toBe(4);
  });

  it('takes items as they are when no id repeats', () => {
    const groups = [[item('a', 'stored')], [item('b', 'recent')]];
    expect(combineBacktestItems(groups)).toEqual({ items: groups.flat(), repeated: 0 });
  });
});

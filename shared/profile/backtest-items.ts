import type { LabeledItem } from '#shared/eval/labeled-item.ts';
import type { BacktestItem, BacktestSource } from './profile-backtest.ts';

/**
 * A graded item as the backtest scores it: title and summary alone, as `eval` scores the labeled
 * sets and the feedback, so the current profile's figures in a backtest are the figures `eval`
 * prints for the same items.
 */
export function backtestItemOfLabeled(
  item: LabeledItem,
  source: Extract<BacktestSource, 'feedback' | 'labels'>,
): BacktestItem {
  return {
    id: item.id,
    source,
    title: item.title,
    summary: item.summary ?? undefined,
    grade: item.grade,
  };
}

/**
 * The items of every group, each id once: the first group that holds an id wins. Callers list
 * the groups in order of authority (the user's stored grades, then a labeled set, then stored
 * matches, then recent items), so an item is measured under the grade that counts and never
 * scored twice. `repeated` counts the items left out.
 */
export function combineBacktestItems(groups: readonly (readonly BacktestItem[])[]): {
  items: BacktestItem[];
  repeated: number;
} {
  const seen = new Set<string>();
  const items: BacktestItem[] = [];
  let repeated = 0;
  for (const item of groups.flat()) {
    if (seen.has(item.id)) {
      repeated++;
      continue;
    }
    seen.add(item.id);
    items.push(item);
  }
  return { items, repeated };
}

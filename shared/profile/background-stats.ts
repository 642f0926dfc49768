import english from './background-df.json' with { type: 'json' };
import russian from './background-df-ru.json' with { type: 'json' };
import chinese from './background-df-zh.json' with { type: 'json' };
import { analyzerFor } from './stemming.ts';

interface Table {
  docs: number;
  minDf: number;
  df: Readonly<Record<string, number>>;
}

/** One table per language, built the same way (bench/derive-background-df.ts). */
const TABLES: Record<'en' | 'ru' | 'zh', Table> = { en: english, ru: russian, zh: chinese };

/**
 * Inverse document frequency of a stem in general news of its own language (higher = rarer =
 * more telling). Stems rarer than the table's cut-off are given half its smallest count: rare,
 * not unseen.
 */
export function idf(stemmed: string): number {
  const table = TABLES[analyzerFor(stemmed).language];
  return Math.log((table.docs + 1) / ((table.df[stemmed] ?? table.minDf / 2) + 1)) + 1;
}

/** True when the stem occurs in the background news of its language often enough to be listed. */
export function isKnownStem(stemmed: string): boolean {
  return TABLES[analyzerFor(stemmed).language].df[stemmed] !== undefined;
}

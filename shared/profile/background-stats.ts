import table from './background-df.json' with { type: 'json' };

const df: Readonly<Record<string, number>> = table.df;
// Stems rarer than the table's cut-off are given half its smallest count: rare, not unseen.
const floor = table.minDf / 2;

/** Inverse document frequency of a stem in general news (higher = rarer = more telling). */
export function idf(stemmed: string): number {
  return Math.log((table.docs + 1) / ((df[stemmed] ?? floor) + 1)) + 1;
}

/** True when the stem occurs in the background news often enough to be listed. */
export function isKnownStem(stemmed: string): boolean {
  return df[stemmed] !== undefined;
}

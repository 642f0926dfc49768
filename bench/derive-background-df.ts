/**
 * Derives the background document-frequency table the profile uses to tell common words from
 * topical ones: for every item of the general news corpus, the distinct Porter stems of its
 * title and description are counted once. Only stems and counts are written (no corpus text),
 * capped to the most frequent stems so the table stays small enough for the Lambda bundle.
 *
 * Run: npx tsx bench/derive-background-df.ts [corpus.jsonl] [out.json]
 */
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isNoiseToken, stem } from '#shared/profile/stemming.ts';
import { forEachToken } from '#shared/profile/text-tokens.ts';

const MAX_STEMS = 12_000;
const MIN_DF = 3;

const repoRoot = resolve(import.meta.dirname, '..');
const corpus = process.argv[2] ?? resolve(repoRoot, '../shared/corpus/items/all_items.jsonl');
const out = process.argv[3] ?? resolve(repoRoot, 'shared/profile/background-df.json');

if (!existsSync(corpus)) {
  console.log(`derive-background-df: ${corpus} is absent; nothing to do`);
  process.exit(0);
}

const df = new Map<string, number>();
const stems = new Map<string, string>();
let docs = 0;
for await (const line of createInterface({ input: createReadStream(corpus, 'utf8') })) {
  if (!line.trim()) continue;
  const item = JSON.parse(line) as { title?: string; description?: string; text?: string };
  const seen = new Set<string>();
  const text = `${item.title ?? ''} ${item.description ?? item.text ?? ''}`.toLowerCase();
  forEachToken(text, (token) => {
    if (isNoiseToken(token)) return;
    let stemmed = stems.get(token);
    if (stemmed === undefined) {
      stemmed = stem(token);
      stems.set(token, stemmed);
    }
    seen.add(stemmed);
  });
  for (const key of seen) df.set(key, (df.get(key) ?? 0) + 1);
  docs++;
}

const kept = [...df.entries()]
  .filter(([, count]) => count >= MIN_DF)
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .slice(0, MAX_STEMS);
const table = {
  description:
    'Document frequencies of Porter stems in general English news titles and descriptions; derived by bench/derive-background-df.ts.',
  docs,
  minDf: kept.at(-1)?.[1] ?? MIN_DF,
  df: Object.fromEntries(kept),
};
writeFileSync(out, `${JSON.stringify(table)}\n`);
console.log(
  `derive-background-df: ${docs} documents, ${df.size} stems, kept ${kept.length} -> ${out}`,
);

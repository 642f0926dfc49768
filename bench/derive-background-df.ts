/**
 * Derives the background document-frequency tables the profile uses to tell common words from
 * topical ones, one per language it reads: for every item of a news corpus in that language,
 * the distinct stems of its title and description are counted once (Porter stems for English
 * and Russian, Intl.Segmenter words for Chinese: `forEachWord` and `stem` of
 * shared/profile). Only stems and counts are written (no corpus text), stems seen in fewer than
 * MIN_DF documents dropped and the rest capped to the most frequent, so the tables stay small
 * enough for the Lambda bundle: the bundler writes every Cyrillic or Han character as a
 * six-byte escape, so the Russian and Chinese tables keep fewer stems than the English one.
 *
 * Run: npx tsx bench/derive-background-df.ts [en|ru|zh|all] [corpus.jsonl] [out.json]
 *   en: ../shared/corpus/items/all_items.jsonl -> shared/profile/background-df.json
 *   ru, zh: the items of that language in ../shared/corpus/multilingual/items.jsonl
 *           -> shared/profile/background-df-<lang>.json
 */
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isNoiseToken, stem } from '#shared/profile/stemming.ts';
import { forEachWord } from '#shared/profile/text-tokens.ts';

const MIN_DF = 3;

const repoRoot = resolve(import.meta.dirname, '..');
const corpora = {
  en: {
    corpus: resolve(repoRoot, '../shared/corpus/items/all_items.jsonl'),
    out: resolve(repoRoot, 'shared/profile/background-df.json'),
    maxStems: 12_000,
    description:
      'Document frequencies of Porter stems in general English news titles and descriptions; derived by bench/derive-background-df.ts.',
  },
  ru: {
    corpus: resolve(repoRoot, '../shared/corpus/multilingual/items.jsonl'),
    out: resolve(repoRoot, 'shared/profile/background-df-ru.json'),
    maxStems: 2_000,
    description:
      "Document frequencies of Porter stems (natural's Russian stemmer) in Russian news titles and summaries; derived by bench/derive-background-df.ts.",
  },
  zh: {
    corpus: resolve(repoRoot, '../shared/corpus/multilingual/items.jsonl'),
    out: resolve(repoRoot, 'shared/profile/background-df-zh.json'),
    maxStems: 2_000,
    description:
      'Document frequencies of words (Intl.Segmenter) in Chinese news titles and summaries; derived by bench/derive-background-df.ts.',
  },
} as const;
type Language = keyof typeof corpora;

const requested = process.argv[2] ?? 'all';
const languages: Language[] =
  requested === 'all' ? ['en', 'ru', 'zh'] : requested in corpora ? [requested as Language] : [];
if (languages.length === 0) {
  console.error(`derive-background-df: unknown language "${requested}" (en, ru, zh or all)`);
  process.exit(2);
}
for (const language of languages) {
  const { corpus, out, description, maxStems } = corpora[language];
  await derive(language, process.argv[3] ?? corpus, process.argv[4] ?? out, description, maxStems);
}

async function derive(
  language: Language,
  corpus: string,
  out: string,
  description: string,
  maxStems: number,
) {
  if (!existsSync(corpus)) {
    console.log(`derive-background-df: ${corpus} is absent; nothing to do for ${language}`);
    return;
  }
  const df = new Map<string, number>();
  const stems = new Map<string, string>();
  let docs = 0;
  for await (const line of createInterface({ input: createReadStream(corpus, 'utf8') })) {
    if (!line.trim()) continue;
    const item = JSON.parse(line) as {
      lang?: string;
      title?: string;
      description?: string;
      summary?: string;
      text?: string;
    };
    // The multilingual corpus holds both languages; the English one has no `lang`.
    if ((item.lang ?? 'en') !== language) continue;
    const seen = new Set<string>();
    const body = item.description ?? item.summary ?? item.text ?? '';
    forEachWord(`${item.title ?? ''} ${body}`.toLowerCase(), (token) => {
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
    .slice(0, maxStems);
  const table = {
    description,
    docs,
    minDf: kept.at(-1)?.[1] ?? MIN_DF,
    df: Object.fromEntries(kept),
  };
  writeFileSync(out, `${JSON.stringify(table)}\n`);
  console.log(
    `derive-background-df: ${language}: ${docs} documents, ${df.size} stems, kept ${kept.length} -> ${out}`,
  );
}

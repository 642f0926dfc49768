/**
 * Per-item cost of the newswatch scorer against the straightforward use of `natural`: the
 * whole package loaded, `PorterStemmer.tokenizeAndStem` on every item, and a cosine against
 * the seed. Russian and Chinese items of the multilingual corpus are timed too, newswatch's
 * per-item cost in each language (for Russian against natural's `PorterStemmerRu` used the
 * same way; natural has no Chinese tokenizer). Both run in the same process on the same items (the shared corpus when present,
 * generated text otherwise). Each scorer's passes span at least three seconds (the fastest
 * counts), and the comparison runs in three fresh processes with the median ratio reported, so a
 * burst of load on this shared machine cannot decide the result. Prints a table and writes
 * bench/results/bench-scoring.json.
 *
 * Run: npx tsx bench/bench-scoring.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { ScoreInput } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';

const TARGET_RATIO = 30;
const ROUNDS = 5;
/** Least time the passes of one scorer span, so a short burst of load cannot cover them all. */
const MIN_SPAN_MS = 3000;
/** Fresh processes that each run the whole comparison; the median ratio counts. */
const PROCESSES = 3;
const CHILD_FLAG = '--one-process';

interface NaturalModule {
  PorterStemmer: { tokenizeAndStem(text: string): string[] };
  PorterStemmerRu: { tokenizeAndStem(text: string): string[] };
}

const repoRoot = resolve(import.meta.dirname, '..');

interface ProcessResult {
  items: number;
  source: string;
  newswatchMicrosPerItem: number;
  naturalMicrosPerItem: number;
  newswatchAfterNaturalLoadedMicrosPerItem: number;
  naturalWholeModuleLoadMs: number;
  /** Russian and Chinese corpus items, when the multilingual corpus is present. */
  russian?: { items: number; newswatchMicrosPerItem: number; naturalMicrosPerItem: number };
  chinese?: { items: number; newswatchMicrosPerItem: number };
  checksum: number;
}

if (process.argv.includes(CHILD_FLAG)) {
  process.stdout.write(`${JSON.stringify(await measureInThisProcess())}\n`);
  process.exit(0);
}

const runs: ProcessResult[] = [];
for (let run = 0; run < PROCESSES; run++) {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG],
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  runs.push(JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ProcessResult);
}
const ratios = runs.map((run) => run.naturalMicrosPerItem / run.newswatchMicrosPerItem);
const median = [...runs].sort(
  (a, b) =>
    a.naturalMicrosPerItem / a.newswatchMicrosPerItem -
    b.naturalMicrosPerItem / b.newswatchMicrosPerItem,
)[Math.floor(PROCESSES / 2)] as ProcessResult;
const ratio = median.naturalMicrosPerItem / median.newswatchMicrosPerItem;
console.log(
  `items: ${median.items} (${median.source}); natural whole-module load ${median.naturalWholeModuleLoadMs.toFixed(0)} ms`,
);
console.log('scorer (median process)                  us/item   items/s');
console.log(
  `  newswatch createScorer().score        ${fmt(median.newswatchMicrosPerItem)}  ${rate(median.newswatchMicrosPerItem)}`,
);
console.log(
  `  natural tokenizeAndStem + cosine      ${fmt(median.naturalMicrosPerItem)}  ${rate(median.naturalMicrosPerItem)}`,
);
console.log(
  `  newswatch, after natural was loaded   ${fmt(median.newswatchAfterNaturalLoadedMicrosPerItem)}  ${rate(median.newswatchAfterNaturalLoadedMicrosPerItem)}`,
);
if (median.russian && median.chinese) {
  console.log(
    `  newswatch, Russian items (${median.russian.items})    ${fmt(median.russian.newswatchMicrosPerItem)}  ${rate(median.russian.newswatchMicrosPerItem)}`,
  );
  console.log(
    `  natural PorterStemmerRu + cosine      ${fmt(median.russian.naturalMicrosPerItem)}  ${rate(median.russian.naturalMicrosPerItem)}`,
  );
  console.log(
    `  newswatch, Chinese items (${median.chinese.items})    ${fmt(median.chinese.newswatchMicrosPerItem)}  ${rate(median.chinese.newswatchMicrosPerItem)}`,
  );
}
console.log(
  `ratio per process: ${ratios.map((value) => `${value.toFixed(1)}x`).join(', ')}; median ${ratio.toFixed(1)}x cheaper (target >= ${TARGET_RATIO}x); checksum ${median.checksum.toFixed(1)}`,
);

mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(
  resolve(repoRoot, 'bench/results/bench-scoring.json'),
  `${JSON.stringify(
    {
      items: median.items,
      source: median.source,
      node: process.version,
      newswatchMicrosPerItem: round(median.newswatchMicrosPerItem),
      naturalMicrosPerItem: round(median.naturalMicrosPerItem),
      newswatchAfterNaturalLoadedMicrosPerItem: round(
        median.newswatchAfterNaturalLoadedMicrosPerItem,
      ),
      naturalWholeModuleLoadMs: round(median.naturalWholeModuleLoadMs),
      ...(median.russian ? { russian: median.russian, chinese: median.chinese } : {}),
      rounds: ROUNDS,
      processes: PROCESSES,
      ratiosPerProcess: ratios.map(round),
      minSpanMs: MIN_SPAN_MS,
      statistic:
        'fastest pass in each process, over at least the rounds and the span (newswatch measured before natural is loaded); the process with the median ratio',
      ratio: round(ratio),
      targetRatio: TARGET_RATIO,
      meetsTarget: ratio >= TARGET_RATIO,
    },
    null,
    2,
  )}\n`,
);

/**
 * Microseconds per item of the fastest pass, over at least ROUNDS passes and MIN_SPAN_MS of
 * passes: a pass of the fast scorer takes ~40 ms, so a few of them fit inside one burst of
 * another tenant's load on this shared machine, while natural's passes spread over seconds.
 */
function fastestOf(pass: () => void, itemCount: number): number {
  let fastest = Number.POSITIVE_INFINITY;
  const started = performance.now();
  for (let round = 0; round < ROUNDS || performance.now() - started < MIN_SPAN_MS; round++) {
    const start = performance.now();
    pass();
    fastest = Math.min(fastest, ((performance.now() - start) * 1000) / itemCount);
  }
  return fastest;
}

function termFrequencies(tokens: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

function cosine(
  vector: Map<string, number>,
  seedVector: Map<string, number>,
  seedNorm: number,
): number {
  let dot = 0;
  let norm = 0;
  for (const [term, count] of vector) {
    norm += count * count;
    dot += count * (seedVector.get(term) ?? 0);
  }
  return norm === 0 ? 0 : dot / (Math.sqrt(norm) * seedNorm);
}

function loadItems(corpus: string): { items: ScoreInput[]; source: string } {
  if (existsSync(corpus)) {
    const parsed = readFileSync(corpus, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { title?: string; description?: string });
    return {
      items: parsed.map((item) => ({ title: item.title ?? '', summary: item.description ?? '' })),
      source: 'shared corpus titles and descriptions',
    };
  }
  // Deterministic text so runs without the corpus are comparable with each other.
  const words =
    'the minister said trade talks with partners would resume after sanctions on exports of oil gas and machinery were eased by officials in the capital on monday'.split(
      ' ',
    );
  const generated = Array.from({ length: 5000 }, (_, index) => {
    const pick = (offset: number, count: number) =>
      Array.from(
        { length: count },
        (_, at) => words[(index * 7 + offset + at * 3) % words.length],
      ).join(' ');
    return { title: pick(0, 9), summary: pick(5, 35) };
  });
  return { items: generated, source: 'generated text (corpus absent)' };
}

function loadMultilingual(corpus: string): { ru: ScoreInput[]; zh: ScoreInput[] } | undefined {
  if (!existsSync(corpus)) return undefined;
  const byLanguage: { ru: ScoreInput[]; zh: ScoreInput[] } = { ru: [], zh: [] };
  for (const line of readFileSync(corpus, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const item = JSON.parse(line) as { lang: string; title: string; summary?: string };
    if (item.lang === 'ru' || item.lang === 'zh') {
      byLanguage[item.lang].push({ title: item.title, summary: item.summary ?? '' });
    }
  }
  return byLanguage;
}

function fmt(micros: number): string {
  return micros.toFixed(2).padStart(8);
}

function rate(micros: number): string {
  return Math.round(1e6 / micros)
    .toLocaleString('en-US')
    .padStart(9);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

async function measureInThisProcess(): Promise<ProcessResult> {
  const corpus = resolve(repoRoot, '../shared/corpus/items/all_items.jsonl');
  const seedsDir = resolve(repoRoot, 'seeds');
  const { items, source } = loadItems(corpus);

  const profile = await loadProfile(seedsDir);
  const scorer = createScorer(profile);

  const seedText = profile.seeds
    .map((seed) => readFileSync(resolve(seedsDir, seed.file), 'utf8'))
    .join('\n');

  let sink = 0;
  const scoreWithNewswatch = () => {
    for (const item of items) sink += scorer.score(item).score;
  };
  // The newswatch rounds run before natural is loaded: loading the whole package slows every
  // later piece of code in the process (measured below), and a process that scores with
  // newswatch never loads it.
  scoreWithNewswatch();
  const newswatch = { microsPerItem: fastestOf(scoreWithNewswatch, items.length) };
  const multilingual = loadMultilingual(
    resolve(repoRoot, '../shared/corpus/multilingual/items.jsonl'),
  );
  const scoreEach = (list: ScoreInput[]) => () => {
    for (const item of list) sink += scorer.score(item).score;
  };
  const russianCost = multilingual && fastestOf(scoreEach(multilingual.ru), multilingual.ru.length);
  const chineseCost = multilingual && fastestOf(scoreEach(multilingual.zh), multilingual.zh.length);

  const loadStart = performance.now();
  const natural = createRequire(import.meta.url)('natural') as NaturalModule;
  const naturalLoadMs = performance.now() - loadStart;
  const seedVector = termFrequencies(natural.PorterStemmer.tokenizeAndStem(seedText));
  const seedNorm = Math.sqrt(
    [...seedVector.values()].reduce((sum, value) => sum + value * value, 0),
  );
  const scoreWithNatural = () => {
    for (const item of items) {
      const text = `${item.title} ${item.summary ?? ''} ${item.content ?? ''}`;
      const vector = termFrequencies(natural.PorterStemmer.tokenizeAndStem(text));
      sink += cosine(vector, seedVector, seedNorm);
    }
  };
  scoreWithNatural();
  const naive = { microsPerItem: fastestOf(scoreWithNatural, items.length) };
  const naturalRussian =
    multilingual &&
    fastestOf(() => {
      for (const item of multilingual.ru) {
        const text = `${item.title} ${item.summary ?? ''}`;
        const vector = termFrequencies(natural.PorterStemmerRu.tokenizeAndStem(text));
        sink += cosine(vector, seedVector, seedNorm);
      }
    }, multilingual.ru.length);
  const newswatchAfterNatural = fastestOf(scoreWithNewswatch, items.length);

  return {
    items: items.length,
    source,
    newswatchMicrosPerItem: newswatch.microsPerItem,
    naturalMicrosPerItem: naive.microsPerItem,
    newswatchAfterNaturalLoadedMicrosPerItem: newswatchAfterNatural,
    naturalWholeModuleLoadMs: naturalLoadMs,
    ...(multilingual && russianCost && chineseCost && naturalRussian
      ? {
          russian: {
            items: multilingual.ru.length,
            newswatchMicrosPerItem: round(russianCost),
            naturalMicrosPerItem: round(naturalRussian),
          },
          chinese: { items: multilingual.zh.length, newswatchMicrosPerItem: round(chineseCost) },
        }
      : {}),
    checksum: sink,
  };
}

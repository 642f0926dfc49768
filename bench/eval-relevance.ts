/**
 * Measures relevance on the labeled development sets: the shipped profile and scorer at the
 * shipped thresholds, against baselines in the same run, for `match` (grade >= 1) and `alert`
 * (grade 2), English (dev.jsonl) and each language of dev-multilingual.jsonl apart. With
 * `--tune`, also runs the documented tuning procedure: for English a small grid over thresholds
 * and four weights, for each other language its two thresholds and its enumeration factor, chosen by 5-fold
 * cross-validation (see docs/relevance.md).
 *
 * Run: npm run eval [-- --tune]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateGraded, scoreGradedItems } from '#shared/eval/graded-eval.ts';
import { type LabeledItem, parseLabeledItems } from '#shared/eval/labeled-item.ts';
import {
  FA_COST,
  type Interval,
  type Metrics,
  measure,
  round,
} from '#shared/eval/relevance-metrics.ts';
import { idf } from '#shared/profile/background-stats.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { isNoiseToken, stem } from '#shared/profile/stemming.ts';
import { analysisTokens, wordTokens } from '#shared/profile/text-tokens.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const devFile = resolve(repoRoot, '../shared/eval/dev.jsonl');
const multilingualFile = resolve(repoRoot, '../shared/eval/dev-multilingual.jsonl');
const seedsDir = resolve(repoRoot, 'seeds');
const resultsFile = resolve(repoRoot, 'bench/results/eval-relevance.json');
/** The targets' floor for precision and recall: thresholds are only chosen above it. */
const FLOOR = 0.9;

type DevItem = LabeledItem;

/**
 * The Google Alerts query a user would write from the seed: match = (Russia AND China) OR
 * Ukraine OR (sanctions AND Russia); alert = Russia AND China. A baseline, so its word lists
 * live here and not in the product. In each language the same query: the country, its
 * adjective, its capital and the leaders the seed names. English words match whole words;
 * Russian words are truncated stems matching any word they begin (the `*` a searcher adds for
 * Russian's case endings); Chinese words match anywhere in the text (no spaces to match on).
 */
type KeywordQuery = Record<'russia' | 'china' | 'ukraine' | 'sanctions', string[]>;
const KEYWORDS: Record<string, KeywordQuery> = {
  en: {
    russia: ['russia', 'russian', 'russians', 'moscow', 'kremlin', 'putin'],
    china: ['china', 'chinese', 'beijing', 'xi'],
    ukraine: ['ukraine', 'ukrainian', 'ukrainians', 'kyiv', 'zelensky', 'zelenskyy'],
    sanctions: ['sanction', 'sanctions', 'sanctioned'],
  },
  ru: {
    russia: ['росси', 'российск', 'москв', 'кремл', 'путин'],
    china: ['кита', 'китайск', 'пекин', 'си'],
    ukraine: ['украин', 'киев', 'зеленск'],
    sanctions: ['санкци'],
  },
  zh: {
    russia: ['俄罗斯', '俄', '莫斯科', '克里姆林宫', '普京'],
    china: ['中国', '中方', '北京', '习近平'],
    ukraine: ['乌克兰', '乌方', '基辅', '泽连斯基'],
    sanctions: ['制裁'],
  },
};

if (!existsSync(devFile)) {
  console.log(`eval-relevance: ${devFile} is absent; skipping the evaluation`);
  process.exit(0);
}
const profile = await loadProfile(seedsDir);
const tuneRequested = process.argv.includes('--tune');
console.log(
  `profile ${profile.version}, thresholds match ${profile.thresholds.match}, alert ${profile.thresholds.alert}${Object.entries(
    profile.languageThresholds ?? {},
  )
    .map(([lang, limits]) => `; ${lang}: match ${limits.match}, alert ${limits.alert}`)
    .join('')}\n`,
);
const reports: Record<string, unknown> = {};
reports.en = evaluate('en', readItems(devFile));
if (existsSync(multilingualFile)) {
  const multilingual = readItems(multilingualFile);
  for (const lang of ['ru', 'zh']) {
    reports[lang] = evaluate(
      lang,
      multilingual.filter((item) => item.lang === lang),
    );
  }
} else {
  console.log(`eval-relevance: ${multilingualFile} is absent; Russian and Chinese not measured`);
}
mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(
  resultsFile,
  `${JSON.stringify(
    { profileVersion: profile.version, thresholds: profile.thresholds, languages: reports },
    null,
    2,
  )}\n`,
);
console.log(`results written to ${resultsFile}`);

function readItems(file: string): DevItem[] {
  return parseLabeledItems(readFileSync(file, 'utf8'), file);
}

/** One language's figures: newswatch and the baselines, and with --tune the procedure's. */
function evaluate(lang: string, items: readonly DevItem[]) {
  const isMatch = items.map((item) => item.grade >= 1);
  const isAlert = items.map((item) => item.grade === 2);
  const limits = profile.languageThresholds?.[lang] ?? profile.thresholds;
  const ours = scoreAll(profile, items);
  const oursMatch = measure(ours.score, isMatch, limits.match, ours.match);
  const oursAlert = measure(ours.score, isAlert, limits.alert, ours.alert);

  const query = KEYWORDS[lang] as KeywordQuery;
  const keyword = items.map((item) =>
    keywordBaseline(`${item.title} ${item.summary ?? ''}`, lang, query),
  );
  const keywordRank = keyword.map((hit) => (hit.alert ? 2 : hit.match ? 1 : 0));
  const keywordMatch = measure(
    keywordRank,
    isMatch,
    1,
    keyword.map((hit) => hit.match),
  );
  const keywordAlert = measure(
    keywordRank,
    isAlert,
    2,
    keyword.map((hit) => hit.alert),
  );
  const rows: [string, Metrics, Metrics][] = [
    [`newswatch (${lang})`, oursMatch, oursAlert],
    ['keyword query', keywordMatch, keywordAlert],
  ];
  // The seed is English: a cosine with its words says nothing about items in other languages.
  if (lang === 'en') {
    const cosine = tfidfCosines(profile, items);
    rows.push([
      'tf-idf cosine (best threshold)',
      atBestThreshold(cosine, isMatch),
      atBestThreshold(cosine, isAlert),
    ]);
  }
  const detected = ours.lang.filter((found) => found === lang).length;
  console.log(
    `${lang}: ${items.length} items, ${isMatch.filter(Boolean).length} match (grade>=1), ${isAlert.filter(Boolean).length} alert (grade 2); language detected as ${lang} for ${detected}`,
  );
  console.log(`thresholds match ${limits.match}, alert ${limits.alert}\n`);
  for (const task of ['match', 'alert'] as const) {
    console.log(`${task.padEnd(32)}     P      R     F1  C_norm     AP`);
    for (const [name, match, alert] of rows) {
      const metrics = task === 'match' ? match : alert;
      console.log(
        `  ${name.padEnd(30)} ${[
          metrics.precision,
          metrics.recall,
          metrics.f1,
          metrics.cNorm,
          metrics.averagePrecision,
        ]
          .map((value) => value.toFixed(3).padStart(6))
          .join(' ')}${metrics.threshold === undefined ? '' : `  (at ${metrics.threshold})`}`,
      );
    }
    console.log('');
  }
  // The same evaluation `newswatch eval --feedback` runs on a user's own graded items.
  const graded = evaluateGraded(profile, items);
  console.log(
    `newswatch (${lang}), 95% intervals (Wilson; F1 from their bounds): match P ${span(graded.match.intervals.precision)} R ${span(graded.match.intervals.recall)} F1 ${span(graded.match.intervals.f1)}; alert P ${span(graded.alert.intervals.precision)} R ${span(graded.alert.intervals.recall)} F1 ${span(graded.alert.intervals.f1)}; ${graded.errors.length} items decided otherwise than graded\n`,
  );
  const truth = { isMatch, isAlert };
  const tuning = tuneRequested
    ? lang === 'en'
      ? tune(profile, items, truth, englishGrid())
      : tune(profile, items, truth, languageGrid())
    : undefined;
  return {
    items: items.length,
    detected,
    thresholds: limits,
    intervals: { match: graded.match.intervals, alert: graded.alert.intervals },
    wrong: graded.errors.length,
    results: Object.fromEntries(rows.map(([name, match, alert]) => [name, { match, alert }])),
    ...(tuning ? { tuning } : {}),
  };
}

function scoreAll(topic: TopicProfile, list: readonly DevItem[]) {
  const results = scoreGradedItems(topic, list);
  return {
    score: results.map((result) => result.score),
    match: results.map((result) => result.decided >= 1),
    alert: results.map((result) => result.decided === 2),
    lang: results.map((result) => result.lang),
  };
}

function keywordBaseline(
  text: string,
  lang: string,
  query: KeywordQuery,
): { match: boolean; alert: boolean } {
  const words = wordTokens(text);
  const wordSet = new Set(words);
  const lower = text.toLowerCase();
  const has = (list: readonly string[]) =>
    list.some((word) =>
      lang === 'zh'
        ? lower.includes(word)
        : lang === 'ru'
          ? words.some((token) => token.startsWith(word) && (word.length > 2 || token === word))
          : wordSet.has(word),
    );
  const russia = has(query.russia);
  const china = has(query.china);
  return {
    match: (russia && china) || has(query.ukraine) || (has(query.sanctions) && russia),
    alert: russia && china,
  };
}

/** Cosine between each item and the concatenated seeds, stems weighted by tf x background idf. */
function tfidfCosines(topic: TopicProfile, list: readonly DevItem[]): number[] {
  const seedText = readSeedText(topic);
  const seed = vectorOf(seedText);
  return list.map((item) => cosineOf(vectorOf(`${item.title} ${item.summary ?? ''}`), seed));
}

function readSeedText(topic: TopicProfile): string {
  return topic.seeds.map((seed) => readFileSync(resolve(seedsDir, seed.file), 'utf8')).join('\n');
}

function vectorOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of analysisTokens(text)) {
    if (isNoiseToken(token)) continue;
    const stemmed = stem(token);
    counts.set(stemmed, (counts.get(stemmed) ?? 0) + 1);
  }
  for (const [stemmed, count] of counts) counts.set(stemmed, (1 + Math.log(count)) * idf(stemmed));
  return counts;
}

function cosineOf(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [key, value] of a) {
    normA += value * value;
    dot += value * (b.get(key) ?? 0);
  }
  for (const value of b.values()) normB += value * value;
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The baseline's most favourable threshold on dev itself (an optimistic figure for it). */
function atBestThreshold(scores: readonly number[], truth: readonly boolean[]): Metrics {
  let best: Metrics | undefined;
  for (const threshold of [...new Set(scores)].sort((a, b) => a - b)) {
    const metrics = measure(
      scores,
      truth,
      round(threshold),
      scores.map((score) => score >= threshold),
    );
    if (!best || metrics.f1 > best.f1) best = metrics;
  }
  return best as Metrics;
}

interface Setting {
  summary?: number;
  seedAffinity?: number;
  titleAnchor?: number;
  enumerationFactor?: number;
}
interface Truth {
  isMatch: readonly boolean[];
  isAlert: readonly boolean[];
}

/**
 * English: the summary weight, the seed affinity, the title anchor and the enumeration factor,
 * with the thresholds.
 */
function englishGrid(): Setting[] {
  return [0.6, 0.7, 0.8, 0.9, 1].flatMap((summary) =>
    [0, 0.15, 0.3, 0.45].flatMap((seedAffinity) =>
      [1, 0.75, 0.5].flatMap((titleAnchor) =>
        [1, 0.75, 0.5, 0.25].map((enumerationFactor) => ({
          summary,
          seedAffinity,
          titleAnchor,
          enumerationFactor,
        })),
      ),
    ),
  );
}

/** Another language: its enumeration factor, with its thresholds. */
function languageGrid(): Setting[] {
  return [1, 0.75, 0.5, 0.25].map((enumerationFactor) => ({ enumerationFactor }));
}

/**
 * The tuning procedure: a grid over profile weights (English: the summary weight, the seed
 * affinity, the title anchor and the enumeration factor; another language: its enumeration
 * factor, the other weights being the profile's own); for each grid point, the match and alert
 * thresholds with the lowest C_norm on the training folds among those keeping precision and
 * recall at FLOOR or more (the middle of a plateau of equals). 5-fold cross-validation
 * estimates how the choice does on items it did not see.
 */
function tune(topic: TopicProfile, list: readonly DevItem[], truth: Truth, grid: Setting[]) {
  const scored = grid.map((setting) => {
    const variant: TopicProfile = {
      ...topic,
      seedAffinity: setting.seedAffinity ?? topic.seedAffinity,
      titleAnchor: setting.titleAnchor ?? topic.titleAnchor,
      enumerationFactor: setting.enumerationFactor ?? topic.enumerationFactor,
      languageEnumerationFactors: undefined,
      fieldWeights: {
        ...topic.fieldWeights,
        summary: setting.summary ?? topic.fieldWeights.summary,
      },
      thresholds: { match: 1.1, alert: 1.1 },
      languageThresholds: undefined,
    };
    return scoreAll(variant, list).score;
  });
  const folds = 5;
  const foldOf = list.map((_, index) => index % folds);
  const heldOut: { match: boolean[]; alert: boolean[] } = {
    match: new Array(list.length).fill(false),
    alert: new Array(list.length).fill(false),
  };
  const choices: unknown[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = list.map((_, index) => foldOf[index] !== fold);
    const choice = choose(scored, train, truth);
    choices.push({ fold, ...grid[choice.setting], ...choice.thresholds });
    const scores = scored[choice.setting] as number[];
    scores.forEach((score, index) => {
      if (foldOf[index] !== fold) return;
      heldOut.match[index] = score >= choice.thresholds.match;
      heldOut.alert[index] = score >= choice.thresholds.alert;
    });
  }
  const all = choose(
    scored,
    list.map(() => true),
    truth,
  );
  const result = {
    crossValidated: {
      match: measure(heldOut.match.map(Number), truth.isMatch, 1, heldOut.match),
      alert: measure(heldOut.alert.map(Number), truth.isAlert, 1, heldOut.alert),
    },
    folds: choices,
    chosenOnAllDev: { ...grid[all.setting], ...all.thresholds },
  };
  console.log('tuning: 5-fold cross-validated (held-out folds):');
  console.log(
    `  match P ${result.crossValidated.match.precision} R ${result.crossValidated.match.recall} F1 ${result.crossValidated.match.f1} C_norm ${result.crossValidated.match.cNorm}`,
  );
  console.log(
    `  alert P ${result.crossValidated.alert.precision} R ${result.crossValidated.alert.recall} F1 ${result.crossValidated.alert.f1} C_norm ${result.crossValidated.alert.cNorm}`,
  );
  console.log(`  folds: ${choices.map((choice) => JSON.stringify(choice)).join('\n         ')}`);
  console.log(`  chosen on all of dev: ${JSON.stringify(result.chosenOnAllDev)}\n`);
  return result;
}

/** Picks the setting and thresholds with the lowest summed match and alert cost on the train items. */
function choose(scored: readonly number[][], train: readonly boolean[], truth: Truth) {
  let best = {
    setting: 0,
    thresholds: { match: 0.5, alert: 0.8 },
    value: Number.NEGATIVE_INFINITY,
  };
  const candidates = Array.from({ length: 91 }, (_, index) => round(0.05 + index * 0.01));
  scored.forEach((scores, setting) => {
    const pick = (truth: readonly boolean[]) => {
      const values = candidates.map((threshold) =>
        costOn(
          scores.map((score) => score >= threshold),
          truth,
          train,
        ),
      );
      const value = Math.max(...values);
      // Thresholds that do equally well on the train items form a plateau: its middle leaves
      // the most room on both sides for items the choice did not see.
      const plateau = candidates.filter((_, index) => values[index] === value);
      return { threshold: plateau[Math.floor((plateau.length - 1) / 2)] ?? 0.5, value };
    };
    const match = pick(truth.isMatch);
    const alert = pick(truth.isAlert);
    if (match.value + alert.value > best.value) {
      best = {
        setting,
        thresholds: { match: match.threshold, alert: alert.threshold },
        value: match.value + alert.value,
      };
    }
  });
  return best;
}

/**
 * Minus the detection cost C_norm on the train items, for thresholds that keep precision and
 * recall at or above FLOOR there (the targets' floor, plus a margin); -Infinity otherwise.
 */
function costOn(
  decided: readonly boolean[],
  truth: readonly boolean[],
  within: readonly boolean[],
): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let negatives = 0;
  decided.forEach((yes, index) => {
    if (!within[index]) return;
    if (!truth[index]) negatives++;
    if (yes && truth[index]) tp++;
    else if (yes) fp++;
    else if (truth[index]) fn++;
  });
  if (tp === 0) return Number.NEGATIVE_INFINITY;
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  // Below the floor, a threshold ranks under every one above it, nearer ones first.
  if (Math.min(precision, recall) < FLOOR) return -1000 + Math.min(precision, recall);
  return -(fn / (tp + fn) + FA_COST * (fp / negatives));
}

function span(interval: Interval): string {
  return `[${interval.low.toFixed(3)}, ${interval.high.toFixed(3)}]`;
}

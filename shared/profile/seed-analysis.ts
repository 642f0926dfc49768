import { ngrams } from 'natural/lib/natural/ngrams/ngrams.js';
import { isNoiseToken, stem } from './stemming.ts';
import { forEachWord } from './text-tokens.ts';

/** One seed document as read from the seeds folder. */
export interface SeedDocument {
  file: string;
  text: string;
}

/** What the profile needs to know of the seeds: counts of stems, phrases and names. */
export interface SeedAnalysis {
  seeds: { file: string; title: string; words: number }[];
  /** Stem -> weighted count (title tokens count double). */
  stemCounts: Map<string, number>;
  /** A readable surface form for each stem (its most frequent lowercase token). */
  surface: Map<string, string>;
  /** "stem stem" -> { count, text } for adjacent content words within a sentence. */
  phrases: Map<string, { count: number; rawCount: number; text: string; stems: string[] }>;
  /** Capitalised names (single words and runs of up to three) -> count and stems. */
  names: Map<string, { count: number; nonInitial: number; stems: string[]; text: string }>;
}

const TITLE_BOOST = 2;

/** Counts the stems, phrases and capitalised names of the seed documents. */
export function analyseSeeds(documents: readonly SeedDocument[]): SeedAnalysis {
  const stemCounts = new Map<string, number>();
  const surfaceCounts = new Map<string, Map<string, number>>();
  const phrases: SeedAnalysis['phrases'] = new Map();
  const names: SeedAnalysis['names'] = new Map();
  const lowercaseSeen = new Set<string>();
  const seeds: SeedAnalysis['seeds'] = [];

  for (const document of documents) {
    const lines = document.text.split(/\r?\n/);
    const titleIndex = lines.findIndex((line) => line.trim() !== '');
    let words = 0;
    lines.forEach((line, lineIndex) => {
      const boost = lineIndex === titleIndex ? TITLE_BOOST : 1;
      for (const sentence of line.split(/(?<=[.!?:;])\s+|(?<=[。！？；])/)) {
        const tokens = sentenceTokens(sentence);
        words += tokens.length;
        const content = tokens.filter((token) => !isNoiseToken(token.lower));
        for (const token of content) {
          const stemmed = stem(token.lower);
          stemCounts.set(stemmed, (stemCounts.get(stemmed) ?? 0) + boost);
          const forms = surfaceCounts.get(stemmed) ?? new Map<string, number>();
          forms.set(token.lower, (forms.get(token.lower) ?? 0) + 1);
          surfaceCounts.set(stemmed, forms);
          if (!token.capitalised) lowercaseSeen.add(token.lower);
        }
        for (const pair of ngrams(
          content.map((token) => token.lower),
          2,
        )) {
          const stems = pair.map(stem);
          const key = stems.join(' ');
          const entry = phrases.get(key) ?? { count: 0, rawCount: 0, text: pair.join(' '), stems };
          entry.count += boost;
          entry.rawCount++;
          phrases.set(key, entry);
        }
        collectNames(tokens, names);
      }
    });
    seeds.push({ file: document.file, title: lines[titleIndex]?.trim() ?? '', words });
  }

  // A capitalised word that only ever opens sentences, or that is also written in lowercase,
  // is an ordinary word ("However", "Data"), not a name.
  for (const [key, name] of names) {
    const ordinary = name.nonInitial === 0 || lowercaseSeen.has(name.text.toLowerCase());
    if (name.stems.length === 1 && ordinary) names.delete(key);
  }
  const surface = new Map<string, string>();
  for (const [stemmed, forms] of surfaceCounts) {
    surface.set(stemmed, [...forms.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? stemmed);
  }
  return { seeds, stemCounts, surface, phrases, names };
}

interface SentenceToken {
  lower: string;
  text: string;
  capitalised: boolean;
  initial: boolean;
}

function sentenceTokens(sentence: string): SentenceToken[] {
  const tokens: SentenceToken[] = [];
  forEachWord(sentence, (text, start) => {
    const first = text.charAt(0);
    tokens.push({
      lower: text.toLowerCase(),
      text,
      capitalised: first !== first.toLowerCase(),
      initial:
        sentence
          .slice(0, start)
          .trim()
          .replace(/["'“‘(]/g, '') === '',
    });
  });
  return tokens;
}

/** Runs of capitalised content words are names ("Wang Yi", "Xi Jinping", "Kremlin"). */
function collectNames(tokens: readonly SentenceToken[], names: SeedAnalysis['names']): void {
  let run: SentenceToken[] = [];
  const flush = () => {
    if (run.length > 0 && run.length <= 3) addName(run, names);
    if (run.length > 1) for (const token of run) addName([token], names);
    run = [];
  };
  for (const token of tokens) {
    if (token.capitalised && !isNoiseToken(token.lower)) run.push(token);
    else flush();
  }
  flush();
}

function addName(tokens: readonly SentenceToken[], names: SeedAnalysis['names']): void {
  const stems = tokens.map((token) => stem(token.lower));
  const key = stems.join(' ');
  const entry = names.get(key) ?? {
    count: 0,
    nonInitial: 0,
    stems,
    text: tokens.map((token) => token.text).join(' '),
  };
  entry.count++;
  if (!tokens[0]?.initial) entry.nonInitial++;
  names.set(key, entry);
}

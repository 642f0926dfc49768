import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords.js';

/** Words too common to carry topic: natural's English list plus a few news fillers. */
export const STOPWORDS: ReadonlySet<string> = new Set([
  ...naturalStopwords,
  'not',
  'no',
  'will',
  'just',
  'says',
  'say',
  'one',
  'two',
  'three',
  'new',
  'read',
  'full',
  'article',
]);

/** True for tokens that never count as evidence: stopwords, single characters, bare numbers. */
export function isNoiseToken(token: string): boolean {
  if (token.length < 2 || STOPWORDS.has(token)) return true;
  const first = token.charCodeAt(0);
  return first >= 48 && first <= 57 && /^\d+$/.test(token);
}

/** Porter stem of a lowercase token. */
export function stem(token: string): string {
  return PorterStemmer.stem(token);
}

/** Stems of the non-noise tokens of a phrase, in order. */
export function stemPhrase(tokens: readonly string[]): string[] {
  const stems: string[] = [];
  for (const token of tokens) if (!isNoiseToken(token)) stems.push(stem(token));
  return stems;
}

import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import RussianStemmer from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords.js';
import { words as naturalRussianStopwords } from 'natural/lib/natural/util/stopwords_ru.js';
import { words as naturalChineseStopwords } from 'natural/lib/natural/util/stopwords_zh.js';
import { Script, scriptOf } from './text-script.ts';

/**
 * How the profile reads the words of one language: which tokens carry no topic and how a token
 * is reduced to the form that is counted and matched. A token is read by the analyzer of its
 * script, so a Russian item quoting "NATO" reads that word as English.
 */
export interface TokenAnalyzer {
  readonly language: 'en' | 'ru' | 'zh';
  readonly stopwords: ReadonlySet<string>;
  isNoise(token: string): boolean;
  stem(token: string): string;
}

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

/**
 * natural's Russian list (mostly pronouns and prepositions) plus the particles and news fillers
 * it lacks, the counterparts of the English additions.
 */
const RUSSIAN_STOPWORDS: ReadonlySet<string> = new Set([
  ...naturalRussianStopwords,
  'не',
  'ни',
  'по',
  'к',
  'ко',
  'об',
  'обо',
  'же',
  'ли',
  'бы',
  'это',
  'эти',
  'эта',
  'при',
  'уже',
  'еще',
  'ещё',
  'будет',
  'были',
  'была',
  'было',
  'свой',
  'своя',
  'свое',
  'своё',
  'свои',
  'свою',
  'своей',
  'своего',
  'своему',
  'своем',
  'своим',
  'своих',
  'своими',
  'его',
  'ее',
  'её',
  'их',
  'заявил',
  'заявила',
  'сообщил',
  'сообщила',
  'сообщает',
  'сообщили',
  'один',
  'два',
  'три',
  'новый',
  'читать',
]);
/** The list as matched: news text writes ё and е interchangeably (своём, своем). */
const RUSSIAN_STOPWORDS_WITHOUT_YO: ReadonlySet<string> = new Set(
  [...RUSSIAN_STOPWORDS].map(withoutYo),
);

/** natural's Chinese list (particles, pronouns, counters) plus common news fillers. */
const CHINESE_STOPWORDS: ReadonlySet<string> = new Set([
  ...naturalChineseStopwords,
  '表示',
  '称',
  '日',
  '据',
  '报道',
  '记者',
  '今天',
  '目前',
  '进行',
  '以及',
  '我们',
  '他们',
  '这个',
  '一个',
]);

/** Single-character function words of Chinese (natural's list), never part of a name. */
export function isChineseParticle(character: string): boolean {
  return CHINESE_STOPWORDS.has(character);
}

const english: TokenAnalyzer = {
  language: 'en',
  stopwords: STOPWORDS,
  isNoise: (token) => isShortOrNumber(token) || STOPWORDS.has(token),
  stem: (token) => PorterStemmer.stem(token),
};

const russian: TokenAnalyzer = {
  language: 'ru',
  stopwords: RUSSIAN_STOPWORDS,
  isNoise: (token) => isShortOrNumber(token) || RUSSIAN_STOPWORDS_WITHOUT_YO.has(withoutYo(token)),
  // natural's stemmer keeps ё apart from е, which news text uses interchangeably.
  stem: (token) => RussianStemmer.stem(withoutYo(token)),
};

/**
 * Chinese words are what Intl.Segmenter gives (see text-tokens.ts); they have no inflection, so
 * a word is its own stem. Single characters are not noise here: 俄 and 华 stand for countries.
 */
const chinese: TokenAnalyzer = {
  language: 'zh',
  stopwords: CHINESE_STOPWORDS,
  isNoise: (token) => CHINESE_STOPWORDS.has(token),
  stem: (token) => token,
};

export const ANALYZERS: readonly TokenAnalyzer[] = [english, russian, chinese];

/** The analyzer that reads a token, chosen by the script of its first letter. */
export function analyzerFor(token: string): TokenAnalyzer {
  const first = token.charCodeAt(0);
  if (first < 0x80) return english;
  const script = scriptOf(first);
  return script === Script.Cyrillic ? russian : script === Script.Han ? chinese : english;
}

/** True for tokens that never count as evidence: stopwords, single letters, bare numbers. */
export function isNoiseToken(token: string): boolean {
  return analyzerFor(token).isNoise(token);
}

/** The counted form of a lowercase token: Porter stem (English, Russian) or the word (Chinese). */
export function stem(token: string): string {
  return analyzerFor(token).stem(token);
}

/** Stems of the non-noise tokens of a phrase, in order. */
export function stemPhrase(tokens: readonly string[]): string[] {
  const stems: string[] = [];
  for (const token of tokens) if (!isNoiseToken(token)) stems.push(stem(token));
  return stems;
}

function withoutYo(token: string): string {
  return token.includes('ё') ? token.replaceAll('ё', 'е') : token;
}

function isShortOrNumber(token: string): boolean {
  if (token.length < 2) return true;
  const first = token.charCodeAt(0);
  return first >= 48 && first <= 57 && /^\d+$/.test(token);
}

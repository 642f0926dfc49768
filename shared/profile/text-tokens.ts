import { isChineseParticle } from './stemming.ts';
import { isHan } from './text-script.ts';

/**
 * Splits text into word tokens without regular expressions or intermediate arrays: the scorer
 * calls it for every field of every item, so it visits each character once and hands each
 * token to a callback. Letters and digits form words; everything else (apostrophes included,
 * so "Russia's" gives "russia" and "s") separates them. A run of Han characters is one token
 * of its own (Chinese writes no spaces: `forEachWord` segments such runs into words). The
 * caller lowercases once per field.
 */
export function forEachToken(text: string, visit: (token: string, start: number) => void): void {
  let start = -1;
  let hanRun = false;
  const length = text.length;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? text.charCodeAt(index) : 32;
    const word = isWordChar(code);
    const han = word && code >= 0x3400 && isHan(code);
    if (start >= 0 && (!word || han !== hanRun)) {
      visit(text.slice(start, index), start);
      start = -1;
    }
    if (word && start < 0) {
      start = index;
      hanRun = han;
    }
  }
}

const NON_ASCII_LETTER = /[\p{L}\p{N}]/u;

/** True for the UTF-16 code units that belong to words (letters and digits). */
export function isWordChar(code: number): boolean {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  }
  // News text is full of typographic quotes, dashes and accented Latin letters: answer those
  // without a regular expression.
  if (code >= 0x2000 && code <= 0x206f) return false;
  if (code >= 0xc0 && code <= 0x24f) return code !== 0xd7 && code !== 0xf7;
  if (code < 0xc0) return code === 0xaa || code === 0xb5 || code === 0xba;
  if (code >= 0x400 && code <= 0x52f) return code !== 0x482 && (code < 0x483 || code > 0x489);
  if (isHan(code)) return true;
  // Chinese punctuation (，。「」), common in Chinese text, also without one.
  if ((code >= 0x3000 && code <= 0x3004) || (code >= 0x3008 && code <= 0x301f)) return false;
  if (code >= 0xff00 && code <= 0xff65) {
    return (
      (code >= 0xff10 && code <= 0xff19) ||
      (code >= 0xff21 && code <= 0xff3a) ||
      (code >= 0xff41 && code <= 0xff5a)
    );
  }
  return NON_ASCII_LETTER.test(String.fromCharCode(code));
}

/** Lowercase word tokens of a text, in order, Han runs whole (for profile terms and patterns). */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  forEachToken(text.toLowerCase(), (token) => {
    tokens.push(token);
  });
  return tokens;
}

const chineseWords = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Like `forEachToken`, with each Han run cut into words by Intl.Segmenter (Node's ICU
 * dictionary): how seeds and the background news are counted. ICU cuts names it does not know
 * into single characters (普京 -> 普 | 京, 王毅 -> 王 | 毅), so adjacent single characters that
 * are not particles are joined back into one word. The scorer's hot path does not segment: it
 * finds the profile's Chinese terms in the unsegmented run.
 */
export function forEachWord(text: string, visit: (token: string, start: number) => void): void {
  forEachToken(text, (token, start) => {
    if (!isHan(token.charCodeAt(0))) {
      visit(token, start);
      return;
    }
    let pending = '';
    let pendingStart = 0;
    const flush = () => {
      if (pending) visit(pending, pendingStart);
      pending = '';
    };
    for (const part of chineseWords.segment(token)) {
      if (!part.isWordLike) {
        flush();
        continue;
      }
      if (part.segment.length === 1 && !isChineseParticle(part.segment)) {
        if (!pending) pendingStart = start + part.index;
        pending += part.segment;
        continue;
      }
      flush();
      visit(part.segment, start + part.index);
    }
    flush();
  });
}

/** Lowercase words of a text with Han runs segmented (for counting seeds and background). */
export function analysisTokens(text: string): string[] {
  const tokens: string[] = [];
  forEachWord(text.toLowerCase(), (token) => {
    tokens.push(token);
  });
  return tokens;
}

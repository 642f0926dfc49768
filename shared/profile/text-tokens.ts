/**
 * Splits text into word tokens without regular expressions or intermediate arrays: the scorer
 * calls it for every field of every item, so it visits each character once and hands each
 * token to a callback. Letters and digits form words; everything else (apostrophes included,
 * so "Russia's" gives "russia" and "s") separates them. The caller lowercases once per field.
 */
export function forEachToken(text: string, visit: (token: string, start: number) => void): void {
  let start = -1;
  const length = text.length;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? text.charCodeAt(index) : 32;
    if (isWordChar(code)) {
      if (start < 0) start = index;
    } else if (start >= 0) {
      visit(text.slice(start, index), start);
      start = -1;
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
  return NON_ASCII_LETTER.test(String.fromCharCode(code));
}

/** Lowercase word tokens of a text, in order (for building profiles, not the hot path). */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  forEachToken(text.toLowerCase(), (token) => {
    tokens.push(token);
  });
  return tokens;
}

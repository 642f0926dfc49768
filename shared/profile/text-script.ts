/**
 * The writing systems the profile reads, told from one UTF-16 code unit. Han characters are
 * matched differently from the alphabets (Chinese writes no spaces between words), so the
 * tokenizers stop a word where Han begins or ends.
 */
export const Script = { Other: 0, Latin: 1, Cyrillic: 2, Han: 3, Kana: 4 } as const;
export type Script = (typeof Script)[keyof typeof Script];

/** The script of a code unit (letters only; digits and punctuation are Other). */
export function scriptOf(code: number): Script {
  if (code < 0x80) return (code | 32) >= 97 && (code | 32) <= 122 ? Script.Latin : Script.Other;
  if (code >= 0xc0 && code <= 0x24f)
    return code === 0xd7 || code === 0xf7 ? Script.Other : Script.Latin;
  if (code >= 0x400 && code <= 0x52f) return Script.Cyrillic;
  if (isHan(code)) return Script.Han;
  if (code >= 0x3040 && code <= 0x30ff) return Script.Kana;
  return Script.Other;
}

/** CJK ideographs (the unified block, extension A and the compatibility block). */
export function isHan(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

/** Letters only Ukrainian writes among the Cyrillic alphabets used in news (і ї є ґ). */
export function isUkrainianLetter(code: number): boolean {
  return (
    code === 0x456 ||
    code === 0x457 ||
    code === 0x454 ||
    code === 0x491 ||
    code === 0x406 ||
    code === 0x407 ||
    code === 0x404 ||
    code === 0x490
  );
}

/** True when every letter of a token is Han (a Chinese word or run). */
export function isHanText(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index++) {
    if (!isHan(text.charCodeAt(index))) return false;
  }
  return true;
}

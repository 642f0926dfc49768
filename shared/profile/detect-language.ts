import { isHan, isUkrainianLetter, Script, scriptOf } from './text-script.ts';

/**
 * The language of an item, from the letters of its text by script and the language its feed or
 * the item itself declares. Script decides between the three the profile reads (English,
 * Russian, Chinese); a declared language only refines within the script it is written in (a
 * feed declaring `de` with Latin text is German, a feed declaring `ru` whose item is English is
 * English), and speaks alone when the text has too few letters to tell.
 */
export interface ScriptCounts {
  latin: number;
  cyrillic: number;
  han: number;
  kana: number;
  /** Letters that only Ukrainian writes (і ї є ґ). */
  ukrainian: number;
}

/** Fewer letters than this (a Han character counts as three) and the text cannot tell. */
const MIN_LETTERS = 6;
/** A Han character carries about a word; a Latin or Cyrillic letter about a third of a syllable. */
const HAN_WEIGHT = 3;
const CYRILLIC_LANGUAGES = new Set(['ru', 'uk', 'be', 'bg', 'sr', 'mk', 'kk', 'ky', 'mn', 'tg']);
const HAN_LANGUAGES = new Set(['zh', 'ja', 'ko']);

export function emptyCounts(): ScriptCounts {
  return { latin: 0, cyrillic: 0, han: 0, kana: 0, ukrainian: 0 };
}

/** Primary subtag of a BCP 47 tag, lowercase (`zh-CN` -> `zh`); undefined when absent. */
export function primaryLanguage(tag: string | undefined): string | undefined {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

/** The item's language as a primary subtag (`en`, `ru`, `zh`, ...), or undefined. */
export function detectLanguage(counts: ScriptCounts, declaredTag?: string): string | undefined {
  const declared = primaryLanguage(declaredTag);
  const han = (counts.han + counts.kana) * HAN_WEIGHT;
  if (han + counts.latin + counts.cyrillic < MIN_LETTERS) return declared;
  if (han >= counts.latin && han >= counts.cyrillic) {
    if (counts.kana > 0) return 'ja';
    return declared && HAN_LANGUAGES.has(declared) && declared !== 'ja' ? declared : 'zh';
  }
  if (counts.cyrillic >= counts.latin) {
    if (declared && CYRILLIC_LANGUAGES.has(declared)) return declared;
    return counts.ukrainian > 0 ? 'uk' : 'ru';
  }
  return declared && !CYRILLIC_LANGUAGES.has(declared) && !HAN_LANGUAGES.has(declared)
    ? declared
    : 'en';
}

/**
 * The script the item is written in: the one with most letters, as language detection weighs
 * them (kana count with Han); Other when the text has no letters.
 */
export function dominantScript(counts: ScriptCounts): Script {
  const han = (counts.han + counts.kana) * HAN_WEIGHT;
  if (han + counts.latin + counts.cyrillic === 0) return Script.Other;
  if (han >= counts.latin && han >= counts.cyrillic) return Script.Han;
  return counts.cyrillic >= counts.latin ? Script.Cyrillic : Script.Latin;
}

/**
 * The script a word of the profile is written in: Han if it holds a Han character, else
 * Cyrillic if it holds a Cyrillic letter, else Latin; Other for digits and signs alone.
 */
export function scriptOfWord(word: string): Script {
  let script: Script = Script.Other;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (isHan(code)) return Script.Han;
    const letter = scriptOf(code);
    if (letter === Script.Cyrillic) script = Script.Cyrillic;
    else if (letter === Script.Latin && script === Script.Other) script = Script.Latin;
  }
  return script;
}

/** Counts the letters of a text by script (for callers outside the scorer's own scan). */
export function countScripts(text: string, counts: ScriptCounts = emptyCounts()): ScriptCounts {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const script = scriptOf(code);
    if (script === Script.Latin) counts.latin++;
    else if (script === Script.Cyrillic) {
      counts.cyrillic++;
      if (isUkrainianLetter(code)) counts.ukrainian++;
    } else if (script === Script.Han) counts.han++;
    else if (script === Script.Kana) counts.kana++;
  }
  return counts;
}

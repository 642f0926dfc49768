import { stem } from './stemming.ts';

/** Shorter words (Си, РФ, КНР) are names or abbreviations that do not take these endings. */
const MIN_LENGTH = 4;
const CYRILLIC_WORD = /^[\u0400-\u04ff]+$/;

/**
 * Endings by the last letters of a word in its dictionary form, for the cases news text puts a
 * name or noun in: Китай -> Китая, Китаю, Китаем, Китае. natural's Russian stemmer reduces most
 * case forms to one stem, but not all of a name's (Китай -> кита, Китая -> кит; Киев -> ки,
 * Киева -> киев), so a term's case forms are stemmed too, the counterpart of the English
 * demonym rule. Adjectives (российский) need nothing: the stemmer handles their endings.
 */
const DECLENSIONS: readonly { ending: string; replace: number; add: readonly string[] }[] = [
  // Plural demonyms (россияне): the genitive россиян stems apart from the nominative.
  { ending: 'яне', replace: 1, add: ['', 'ам', 'ами', 'ах'] },
  { ending: 'ане', replace: 1, add: ['', 'ам', 'ами', 'ах'] },
  { ending: 'ий', replace: 0, add: [] },
  { ending: 'ый', replace: 0, add: [] },
  { ending: 'ой', replace: 0, add: [] },
  { ending: 'ия', replace: 1, add: ['и', 'ю', 'ей'] },
  { ending: 'й', replace: 1, add: ['я', 'ю', 'ем', 'е'] },
  { ending: 'ь', replace: 1, add: ['я', 'ю', 'ем', 'е', 'и'] },
  { ending: 'а', replace: 1, add: ['ы', 'и', 'е', 'у', 'ой'] },
  { ending: 'я', replace: 1, add: ['и', 'е', 'ю', 'ей'] },
  { ending: 'о', replace: 0, add: [] },
  { ending: 'е', replace: 0, add: [] },
  { ending: 'и', replace: 0, add: [] },
  { ending: 'ы', replace: 0, add: [] },
];
const CONSONANT_ENDINGS = ['а', 'у', 'ом', 'ым', 'е', 'ы', 'ов'];

/** Stems of the case forms of a single lowercase Russian word, its own stem excluded. */
export function russianCaseStems(word: string): string[] {
  if (word.length < MIN_LENGTH || !CYRILLIC_WORD.test(word)) return [];
  const rule = DECLENSIONS.find((candidate) => word.endsWith(candidate.ending));
  const base = rule ? word.slice(0, word.length - rule.replace) : word;
  const endings = rule ? rule.add : CONSONANT_ENDINGS;
  const own = stem(word);
  const stems = new Set<string>();
  for (const stemBase of [base, ...(rule ? [] : fleetingVowelBases(word))]) {
    for (const ending of endings) {
      const formStem = stem(stemBase + ending);
      if (formStem !== own && formStem.length >= 3) stems.add(formStem);
    }
  }
  return [...stems];
}

const VOWELS = 'аеёиоуыэюя';

/**
 * A noun in -ок, -ек or -ец may drop that vowel in its other cases (потолок -> потолка,
 * китаец -> китайца); the forms that keep it are generated too, as the word may not drop it.
 */
function fleetingVowelBases(word: string): string[] {
  const before = word.charAt(word.length - 3);
  if (!before || word.length < 5) return [];
  if (word.endsWith('ок') || word.endsWith('ек')) {
    return VOWELS.includes(before) ? [] : [`${word.slice(0, -2)}к`];
  }
  if (word.endsWith('ец')) return [`${word.slice(0, -2)}${VOWELS.includes(before) ? 'й' : ''}ц`];
  return [];
}

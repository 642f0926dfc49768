/**
 * Whether two reports in different languages are the same event. Their words cannot be compared
 * (MinHash of a Russian and an English headline shares nothing), so what the copies share is
 * compared instead: the profile's facets they touch, the people they name (one id per person
 * across languages), the numbers they give, and when they were published.
 *
 * The clues travel with the story signature (after the MinHash, see {@link withClues}), so a
 * member another invocation stored is judged the same way as one this process placed.
 */

/** Most hours between two reports of one event in different languages. */
export const CROSS_LANGUAGE_HOURS = 6;

export interface EventClues {
  lang: string;
  /** Facets of the profile the report touched, sorted. */
  facets: string[];
  /**
   * Ids of the people its headline names ({@link SPECIFIC_ENTITIES}), sorted. The headline only:
   * on the corpus, names met in summaries joined different events of one day half the time.
   */
  entities: string[];
  /** Numbers written in digits, normalized ("1,200" and "1200" alike), sorted. */
  numbers: string[];
  /** Published time (else stored time), ms since the epoch. */
  atMs: number;
}

interface EntityNames {
  /** Whole words or phrases, case-insensitive. */
  en: string[];
  /** Stems: a word starting with one, plus at most a case ending (Путин → Путина, Путину). */
  ru: string[];
  /** Written without spaces: found anywhere in the text. */
  zh: string[];
}

/**
 * The people among the profile overlay's aliases (seeds/profile.json), one id each across
 * languages; a unit test keeps every name here an alias of the overlay. Country names, and the
 * capitals and seats of government the overlay also lists (Moscow, the Kremlin, Beijing, Kyiv),
 * are not here: news of the topic uses them for the governments themselves ("Moscow agreed"), so
 * they tell no event from another any more than "Russia" does (the facets carry them).
 */
export const SPECIFIC_ENTITIES: Record<string, EntityNames> = {
  putin: { en: ['Putin'], ru: ['Путин'], zh: ['普京'] },
  xi: { en: ['Xi', 'Xi Jinping'], ru: ['Си Цзиньпин'], zh: ['习近平'] },
  lavrov: { en: ['Lavrov'], ru: ['Лавров'], zh: ['拉夫罗夫'] },
  'wang-yi': { en: ['Wang Yi'], ru: ['Ван И'], zh: ['王毅'] },
  zelensky: { en: ['Zelensky', 'Zelenskyy'], ru: ['Зеленск'], zh: ['泽连斯基'] },
};

/** Russian case endings are at most three letters; a last word of fewer than four must end as written. */
const RUSSIAN_ENDING = '[а-яё]{0,3}';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ENTITY_PATTERNS: { id: string; pattern: RegExp }[] = Object.entries(SPECIFIC_ENTITIES).map(
  ([id, names]) => {
    const english = names.en.map((name) => `(?<!\\p{L})${escapeRegExp(name)}(?:['’]s)?(?!\\p{L})`);
    const russian = names.ru.map(
      (stem) =>
        `(?<!\\p{L})${escapeRegExp(stem)}${[...(stem.split(' ').at(-1) ?? '')].length >= 4 ? RUSSIAN_ENDING : ''}(?!\\p{L})`,
    );
    const chinese = names.zh.map(escapeRegExp);
    return { id, pattern: new RegExp([...english, ...russian, ...chinese].join('|'), 'iu') };
  },
);

/** The ids of the people a text names. */
export function specificEntities(text: string): string[] {
  return ENTITY_PATTERNS.filter(({ pattern }) => pattern.test(text))
    .map(({ id }) => id)
    .sort();
}

/** Numbers in digits; thousands separators and decimal commas read the same in every language. */
export function eventNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const [raw] of text.matchAll(/\d+(?:[ \u00a0,.]\d{3})*(?:[.,]\d+)?/g)) {
    const grouped = raw.replace(/[ \u00a0,.](?=\d{3}(?!\d))/g, '').replace(',', '.');
    found.add(String(Number(grouped)));
  }
  return [...found].sort();
}

export interface ClueInput {
  title: string;
  summary: string;
  lang?: string;
  facets?: string[];
  published?: string;
  storedAt: string;
}

/** The clues of a report, or undefined when its language or facets are not known. */
export function eventClues(input: ClueInput): EventClues | undefined {
  if (!input.lang || !input.facets) return undefined;
  const entities = specificEntities(input.title);
  const published = input.published ? Date.parse(input.published) : Number.NaN;
  return {
    lang: input.lang,
    facets: [...input.facets].sort(),
    entities,
    numbers: eventNumbers(`${input.title}\n${input.summary}`),
    atMs: Number.isNaN(published) ? Date.parse(input.storedAt) : published,
  };
}

// Neither a MinHash (hex) nor a facet or entity id holds these characters.
const CLUES_MARK = '~';
const LIST_MARK = ',';

/** The stored signature: the MinHash, then the clues when there are any. */
export function withClues(minHash: string, clues: EventClues | undefined): string {
  if (!clues) return minHash;
  const { lang, facets, entities, numbers, atMs } = clues;
  return [
    minHash,
    lang,
    facets.join(LIST_MARK),
    entities.join(LIST_MARK),
    numbers.join(LIST_MARK),
    String(atMs),
  ].join(CLUES_MARK);
}

/** A stored signature split into its MinHash and its clues (none on a signature without them). */
export function splitSignature(stored: string): { minHash: string; clues?: EventClues } {
  const parts = stored.split(CLUES_MARK);
  const [minHash = '', lang, facets, entities, numbers, atMs] = parts;
  const at = Number(atMs);
  if (parts.length !== 6 || !lang || !Number.isFinite(at)) return { minHash };
  const list = (text = '') => (text ? text.split(LIST_MARK) : []);
  return {
    minHash,
    clues: {
      lang,
      facets: list(facets),
      entities: list(entities),
      numbers: list(numbers),
      atMs: at,
    },
  };
}

/**
 * Two reports in different languages are one event when they touch the same facets, name at least
 * one person in common in their headlines, were published within {@link CROSS_LANGUAGE_HOURS} of each
 * other, and give no numbers that conflict (both give some, and none in common).
 */
export function sameEventAcrossLanguages(a: EventClues, b: EventClues): boolean {
  if (a.lang === b.lang) return false;
  if (Math.abs(a.atMs - b.atMs) > CROSS_LANGUAGE_HOURS * 3_600_000) return false;
  if (a.facets.length !== b.facets.length || a.facets.some((facet, i) => facet !== b.facets[i]))
    return false;
  if (!a.entities.some((entity) => b.entities.includes(entity))) return false;
  const numbersConflict =
    a.numbers.length > 0 &&
    b.numbers.length > 0 &&
    !a.numbers.some((number) => b.numbers.includes(number));
  return !numbersConflict;
}

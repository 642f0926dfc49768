import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';

/**
 * Near-duplicate detection for news items: a MinHash signature over the normalized words of the
 * title and the start of the summary, so copies of one story from different outlets (reworded
 * headlines, wire copy with small edits) land close together while different events do not.
 *
 * MinHash rather than SimHash because outlets reword: the Jaccard overlap of two reports of one
 * event is often only 0.3-0.5, a range where MinHash still separates stories well and a 64-bit
 * SimHash's Hamming distance is mostly noise.
 */

/** Hash slots per signature; 128 slots give a standard error of about 0.04 on the similarity. */
export const SIGNATURE_SLOTS = 128;
/** Each slot keeps 16 bits of its minimum (b-bit MinHash), so a signature is 512 hex chars. */
const SLOT_HEX = 4;
/**
 * The summary adds detail but must not drown the headline, so only its first words count; the
 * headline's words also count twice (as plain and as title features). Both choices were measured
 * on labeled stories (docs/alerts.md): longer summaries and unweighted headlines merged distinct
 * events of the same day more often.
 */
const SUMMARY_WORDS = 10;

// Function words and newsroom boilerplate that say nothing about which event a story is about.
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each few for from ' +
    'further had has have having he her here hers herself him himself his how i if in into is it ' +
    'its itself just me more most my no nor not now of off on once only or other our ours out over ' +
    'own same she should so some such than that the their theirs them then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why ' +
    'will with would you your yours yourself amp nbsp ' +
    'says said say new news latest live update updates video watch read report reports reported ' +
    'according year years day days week today yesterday tomorrow monday tuesday wednesday thursday ' +
    'friday saturday sunday mr ms mrs one two three first last may might must get gets got'
  ).split(' '),
);

// Scripts written without spaces: their words are approximated by overlapping character pairs.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const WORD = /[\p{L}\p{N}]+/gu;
const LATIN_WORD = /^\p{Script=Latin}+$/u;

/** The words that identify a story: lowercased, accents folded, stopwords dropped, stemmed. */
export function storyFeatures(title: string, summary = ''): Set<string> {
  const features = new Set<string>();
  for (const token of tokens(title)) {
    features.add(token);
    features.add(`title:${token}`);
  }
  for (const token of tokens(summary).slice(0, SUMMARY_WORDS)) features.add(token);
  return features;
}

function tokens(text: string): string[] {
  // ASCII has nothing to decompose, no marks and no unspaced script: most headlines skip those.
  const ascii = isAscii(text);
  const folded = (ascii ? text : text.normalize('NFKD').replace(/\p{M}+/gu, ''))
    .toLowerCase()
    // "U.S." and "it's" stay one word; other punctuation splits words.
    .replace(/(\p{L})[.'’](?=\p{L})/gu, '$1');
  const out: string[] = [];
  for (const [word] of folded.matchAll(WORD)) {
    if (!ascii && UNSPACED.test(word)) {
      out.push(...characterPairs(word));
      continue;
    }
    if (STOPWORDS.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    out.push(stem(word));
  }
  return out;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

// News reuses a small vocabulary, and stemming is most of the cost of a signature: each word is
// stemmed once. Cleared when full, so a long-lived process does not keep every word it saw.
const STEM_CACHE_SIZE = 50_000;
const stems = new Map<string, string>();

function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    stemmed = LATIN_WORD.test(word) ? PorterStemmer.stem(word) : word;
    if (stems.size >= STEM_CACHE_SIZE) stems.clear();
    stems.set(word, stemmed);
  }
  return stemmed;
}

function characterPairs(word: string): string[] {
  const chars = [...word];
  if (chars.length < 2) return chars;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) pairs.push(`${chars[i]}${chars[i + 1]}`);
  return pairs;
}

// One seed per slot, fixed forever: stored signatures must stay comparable across releases.
const SLOT_SEEDS = Uint32Array.from({ length: SIGNATURE_SLOTS }, (_, slot) =>
  mix32(Math.imul(slot + 1, 0x9e3779b9)),
);

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The MinHash signature (hex) of a feature set; empty when there is nothing to go on. */
export function minHashSignature(features: Iterable<string>): string {
  const minima = new Uint32Array(SIGNATURE_SLOTS).fill(0xffffffff);
  let any = false;
  for (const feature of features) {
    any = true;
    const base = fnv1a32(feature);
    for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) {
      const value = mix32(base ^ (SLOT_SEEDS[slot] as number));
      if (value < (minima[slot] as number)) minima[slot] = value;
    }
  }
  if (!any) return '';
  let hex = '';
  for (const value of minima)
    hex += (HEX_BYTES[(value >>> 8) & 0xff] as string) + HEX_BYTES[value & 0xff];
  return hex;
}

/** The signature of a news item, from its title and summary. */
export function storySignature(title: string, summary = ''): string {
  return minHashSignature(storyFeatures(title, summary));
}

/**
 * Estimated Jaccard similarity (0-1) of the items behind two signatures: the share of slots that
 * agree. Signatures of another length (another algorithm or an empty item) compare as 0.
 */
export function signatureSimilarity(a: string, b: string): number {
  const length = SIGNATURE_SLOTS * SLOT_HEX;
  if (a.length !== length || b.length !== length) return 0;
  // Character compares, no slices: this runs against every recent signature for each new match.
  let same = 0;
  for (let offset = 0; offset < length; offset += SLOT_HEX) {
    let equal = true;
    for (let i = offset; i < offset + SLOT_HEX; i++) {
      if (a.charCodeAt(i) !== b.charCodeAt(i)) {
        equal = false;
        break;
      }
    }
    if (equal) same++;
  }
  return same / SIGNATURE_SLOTS;
}

/**
 * The slot values of a signature, for comparing one signature with many without re-reading hex:
 * two parsed signatures agree at a slot exactly when the hex strings agree there. Undefined for a
 * signature of another length, which compares as 0 with everything.
 */
export function parseSignature(signature: string): Uint32Array | undefined {
  const length = SIGNATURE_SLOTS * SLOT_HEX;
  if (signature.length !== length) return undefined;
  const slots = new Uint32Array(SIGNATURE_SLOTS);
  for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) {
    const offset = slot * SLOT_HEX;
    let value = 0;
    for (let i = offset; i < offset + SLOT_HEX && value >= 0; i++) {
      const digit = hexDigit(signature.charCodeAt(i));
      value = digit < 0 ? -1 : value * 16 + digit;
    }
    slots[slot] =
      value >= 0 ? value : irregularSlotValue(signature.slice(offset, offset + SLOT_HEX));
  }
  return slots;
}

/** {@link signatureSimilarity} of two parsed signatures (undefined compares as 0). */
export function slotSimilarity(a: Uint32Array | undefined, b: Uint32Array | undefined): number {
  if (!a || !b) return 0;
  let same = 0;
  for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) if (a[slot] === b[slot]) same++;
  return same / SIGNATURE_SLOTS;
}

// Lowercase hex only, as minHashSignature writes it: "00AB" and "00ab" differ as strings.
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

// A slot that is not lowercase hex (a signature written by something else) still compares by its
// text: each distinct text gets its own number above the 16-bit hex range.
const irregularSlots = new Map<string, number>();

function irregularSlotValue(text: string): number {
  let value = irregularSlots.get(text);
  if (value === undefined) {
    value = 0x10000 + irregularSlots.size;
    irregularSlots.set(text, value);
  }
  return value;
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// MurmurHash3's finalizer: a bijection on 32 bits, so each seed acts as its own permutation.
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

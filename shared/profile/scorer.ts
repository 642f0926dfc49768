import { detectLanguage, dominantScript, emptyCounts, scriptOfWord } from './detect-language.ts';
import { listedMentions, type Mention } from './enumerations.ts';
import type { ScoreInput, ScoreResult, Scorer } from './score-types.ts';
import { isNoiseToken, STOPWORDS, stem } from './stemming.ts';
import { isHan, isHanText, isUkrainianLetter, Script } from './text-script.ts';
import { isWordChar } from './text-tokens.ts';
import type { TopicProfile } from './topic-profile.ts';

export type { Scorer } from './score-types.ts';

const FIELDS = ['title', 'summary', 'content'] as const;
type Field = (typeof FIELDS)[number];
/** Tokens remembered with their vocabulary id; cleared when full, so memory stays bounded. */
const TOKEN_CACHE_LIMIT = 50_000;
const NOISE = -2;
const UNKNOWN = -1;
const ID_SPACE = 65_536;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Keeps hash keys within V8's small-integer range, the fastest kind of Map key. */
const SMALL_INT = 0x3fffffff;
const SLOTS = 1 << 14;
/** Multiplier of the second token hash (a different family from FNV's). */
const CHECK_PRIME = 0x5bd1e995;
/** For each ASCII code: the lowercase code of a letter or digit, 0 for anything else. */
const ASCII_WORD = new Uint8Array(128).map((_, code) =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57)
    ? code
    : code >= 65 && code <= 90
      ? code + 32
      : 0,
);
const MAX_EXPLAINED_TERMS = 10;
/** Mentions of facet terms remembered per item for the enumeration check; later ones count whole. */
const MAX_MENTIONS = 256;
const MUST_MISSING = 'none of the must terms appears';
/** The highest score match-level combinations alone can reach. */
export const MATCH_CEILING = 0.8;

interface Sequence {
  text: string;
  facetRoles: { facet: number; weight: number }[];
  seedWeight: number;
  must: boolean;
  mustNot: boolean;
}

/** Precomputes the profile's lookup tables once; scoring an item then allocates little. */
export function createScorer(profile: TopicProfile): Scorer {
  const vocabulary = new Map<string, number>();
  const sequences: Sequence[] = [];
  const sequenceByKey = new Map<string, number>();
  const unigramList = new Map<number, number>();
  const bigrams = new Map<number, number>();
  const trigrams = new Map<number, number>();

  const sequenceFor = (stems: readonly string[], text: string): Sequence => {
    // Phrases longer than three content words are matched on their first three.
    const head = joinHanStems(stems).slice(0, 3);
    const key = head.join(' ');
    const known = sequenceByKey.get(key);
    if (known !== undefined) return sequences[known] as Sequence;
    const ids = head.map((part) => {
      let id = vocabulary.get(part);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(part, id);
      }
      return id;
    });
    const index = sequences.length;
    const sequence: Sequence = { text, facetRoles: [], seedWeight: 0, must: false, mustNot: false };
    sequences.push(sequence);
    sequenceByKey.set(key, index);
    const [a = 0, b = 0, c = 0] = ids;
    if (ids.length === 1) unigramList.set(a, index);
    else if (ids.length === 2) bigrams.set(a * ID_SPACE + b, index);
    else trigrams.set((a * ID_SPACE + b) * ID_SPACE + c, index);
    return sequence;
  };

  profile.facets.forEach((facet, facetIndex) => {
    for (const pattern of facet.patterns) {
      sequenceFor(pattern.stems, pattern.text).facetRoles.push({
        facet: facetIndex,
        weight: pattern.weight,
      });
    }
  });
  for (const term of profile.terms) sequenceFor(term.stems, term.text).seedWeight += term.weight;
  for (const term of profile.must) sequenceFor(term.stems, term.text).must = true;
  for (const term of profile.mustNot) sequenceFor(term.stems, term.text).mustNot = true;
  if (vocabulary.size >= ID_SPACE) throw new RangeError('profile vocabulary is too large');
  const unigrams = new Int32Array(vocabulary.size).fill(-1);
  for (const [id, sequence] of unigramList) unigrams[id] = sequence;
  // Chinese terms are found in the unsegmented run of Han characters, by their first character:
  // ICU's word segmenter cuts names it does not know (普京 -> 普 | 京), a substring match does not.
  const hanTerms = new Map<number, { text: string; sequence: number }[]>();
  for (const [word, id] of vocabulary) {
    const sequence = unigrams[id] ?? -1;
    if (sequence < 0 || !isHanText(word)) continue;
    const list = hanTerms.get(word.charCodeAt(0)) ?? [];
    list.push({ text: word, sequence });
    hanTerms.set(word.charCodeAt(0), list);
  }
  for (const list of hanTerms.values()) list.sort((a, b) => b.text.length - a.text.length);

  const facetIndex = new Map(profile.facets.map((facet, index) => [facet.name, index]));
  const rules = profile.rules.map((rule) => ({
    facets: rule.facets.map((name) => facetIndex.get(name) ?? -1),
    weight: rule.weight,
    alert: rule.level === 'alert',
  }));
  const fieldWeights = FIELDS.map((field) => profile.fieldWeights[field]);
  const { seedAffinity, seedScale, thresholds } = profile;
  const languageThresholds = profile.languageThresholds ?? {};
  const titleAnchor = profile.titleAnchor ?? 1;
  const defaultEnumerationFactor = profile.enumerationFactor ?? 1;
  const enumerationFactors = profile.languageEnumerationFactors ?? {};
  const checksEnumerations =
    Math.min(defaultEnumerationFactor, ...Object.values(enumerationFactors)) < 1;
  // Sequences naming a facet of an alert combination: only their enumerations are checked.
  const alertFacets = new Set(rules.filter((rule) => rule.alert).flatMap((rule) => rule.facets));
  const namesAlertFacet = Uint8Array.from(sequences, (sequence) =>
    sequence.facetRoles.some((role) => alertFacets.has(role.facet)) ? 1 : 0,
  );
  const isFacetTerm = Uint8Array.from(sequences, (sequence) =>
    sequence.facetRoles.length > 0 ? 1 : 0,
  );
  const hasMust = profile.must.length > 0;
  // A word of the profile counts only in an item written in its script: in Russian or Chinese
  // text a Latin word is a name quoted as written abroad (the car model Tank, Bank of China, the
  // South China Morning Post), not the English word, and each language names the thing itself.
  const sequenceScript = Uint8Array.from(sequences, (sequence) => scriptOfWord(sequence.text));

  // Per-item scratch space, reused: scoring is synchronous, so one item at a time uses it.
  const hitWeight = new Float64Array(sequences.length);
  const hitField = new Uint8Array(sequences.length);
  const touched = new Int32Array(sequences.length);
  let touchedCount = 0;
  const facetEvidence = new Float64Array(profile.facets.length);
  // The same for alert combinations, where a name listed among others counts less.
  const alertHitWeight = new Float64Array(sequences.length);
  const facetAlertEvidence = new Float64Array(profile.facets.length);
  const mentionSequence = new Int32Array(MAX_MENTIONS);
  const mentionField = new Uint8Array(MAX_MENTIONS);
  const mentionStart = new Int32Array(MAX_MENTIONS);
  const mentionEnd = new Int32Array(MAX_MENTIONS);
  let mentionCount = 0;
  let alertFacetSeen = false;
  const facetInTitle = new Uint8Array(profile.facets.length);
  // Token memo keyed by a hash computed while scanning, so a token already seen costs no
  // string allocation: only new tokens are sliced, lowercased and stemmed.
  const memo = new Map<number, MemoEntry>();
  let memoSize = 0;
  // Letters by script, counted during the scan, tell the item's language.
  const scripts = emptyCounts();

  // A direct-mapped table in front of the memo answers most repeated tokens with a few array
  // reads: a slot is trusted when the FNV hash, a second independent hash and the length all
  // agree (a false hit would need a 62-bit collision); the memo behind it compares characters.
  const slotHash = new Int32Array(SLOTS).fill(-1);
  const slotCheck = new Int32Array(SLOTS);
  const slotLength = new Int32Array(SLOTS);
  const slotId = new Int32Array(SLOTS);

  const idOf = (text: string, start: number, end: number, hash: number, check: number): number => {
    const slot = hash & (SLOTS - 1);
    if (slotHash[slot] === hash && slotCheck[slot] === check && slotLength[slot] === end - start) {
      return slotId[slot] as number;
    }
    let found: MemoEntry | undefined;
    for (let entry = memo.get(hash); entry && !found; entry = entry.next) {
      if (sameToken(entry.token, text, start, end)) found = entry;
    }
    if (!found) {
      const token = text.slice(start, end).toLowerCase();
      const id = isNoiseToken(token) ? NOISE : (vocabulary.get(stem(token)) ?? UNKNOWN);
      if (memoSize >= TOKEN_CACHE_LIMIT) {
        memo.clear();
        memoSize = 0;
      }
      found = { token, id, next: memo.get(hash) };
      memo.set(hash, found);
      memoSize++;
    }
    slotHash[slot] = hash;
    slotCheck[slot] = check;
    slotLength[slot] = end - start;
    slotId[slot] = found.id;
    return found.id;
  };

  const hit = (
    sequence: number | undefined,
    weight: number,
    field: number,
    start: number,
    end: number,
  ) => {
    if (sequence === undefined || sequence < 0) return;
    if (checksEnumerations && isFacetTerm[sequence] === 1 && mentionCount < MAX_MENTIONS) {
      mentionSequence[mentionCount] = sequence;
      mentionField[mentionCount] = field;
      mentionStart[mentionCount] = start;
      mentionEnd[mentionCount] = end;
      mentionCount++;
      if (namesAlertFacet[sequence] === 1) alertFacetSeen = true;
    }
    const previous = hitWeight[sequence] ?? 0;
    if (previous === 0) touched[touchedCount++] = sequence;
    if (weight > previous) {
      hitWeight[sequence] = weight;
      hitField[sequence] = field;
    }
  };

  // Two-letter beginnings of every stem and stopword: a token starting otherwise can be neither,
  // so it is known to be an unmatched content word without a memo lookup (stems keep the first
  // letters of their words).
  const prefixes = new Uint8Array(128 * 128);
  for (const word of [...vocabulary.keys(), ...STOPWORDS]) {
    const first = word.charCodeAt(0);
    const second = word.charCodeAt(1);
    if (first < 128 && second < 128) prefixes[first * 128 + second] = 1;
  }

  const scan = (text: string, field: number) => {
    const weight = fieldWeights[field] ?? 0;
    const length = text.length;
    let previous = UNKNOWN;
    let beforePrevious = UNKNOWN;
    let previousStart = 0;
    let beforePreviousStart = 0;
    let index = 0;
    while (index < length) {
      const raw = text.charCodeAt(index);
      if (raw >= 0x3400 && isHan(raw)) {
        index = scanHan(text, index, weight, field);
        previous = UNKNOWN;
        beforePrevious = UNKNOWN;
        continue;
      }
      const first = wordCode(raw);
      if (first === 0) {
        index++;
        continue;
      }
      const start = index;
      const second = ++index < length ? wordCode(text.charCodeAt(index)) : 0;
      if (second === 0) {
        countLetters(first, 1);
        continue;
      }
      // Only a token that may be a stem or a stopword is hashed and looked up; the others are
      // walked over.
      const worthLooking =
        first >= 128 || second >= 128 || first <= 57 || prefixes[first * 128 + second] === 1;
      let hash = 0;
      let check = 0;
      if (worthLooking) {
        hash = Math.imul(Math.imul(FNV_OFFSET ^ first, FNV_PRIME) ^ second, FNV_PRIME);
        check = (Math.imul(first, CHECK_PRIME) + second) | 0;
        for (index++; index < length; index++) {
          const code = wordCode(text.charCodeAt(index));
          if (code === 0) break;
          hash = Math.imul(hash ^ code, FNV_PRIME);
          check = (Math.imul(check, CHECK_PRIME) + code) | 0;
        }
      } else {
        for (index++; index < length && wordCode(text.charCodeAt(index)) !== 0; index++);
      }
      countLetters(first, index - start);
      const id = worthLooking ? idOf(text, start, index, hash & SMALL_INT, check) : UNKNOWN;
      // Stopwords are skipped as they were when the profile was built ("power of siberia").
      if (id === NOISE) continue;
      if (id >= 0 && isHyphenatedTail(text, start, index, first)) continue;
      if (id >= 0) {
        hit(unigrams[id], weight, field, start, index);
        if (previous >= 0) {
          hit(bigrams.get(previous * ID_SPACE + id), weight, field, previousStart, index);
          if (beforePrevious >= 0) {
            hit(
              trigrams.get((beforePrevious * ID_SPACE + previous) * ID_SPACE + id),
              weight,
              field,
              beforePreviousStart,
              index,
            );
          }
        }
      }
      beforePrevious = previous;
      beforePreviousStart = previousStart;
      previous = id;
      previousStart = start;
    }
  };

  const countLetters = (first: number, letters: number) => {
    if (first < 128) {
      if (first >= 97) scripts.latin += letters;
    } else if (first >= 0x400 && first <= 0x52f) scripts.cyrillic += letters;
    else if (first >= 0x3040 && first <= 0x30ff) scripts.kana += letters;
    else if (first >= 0xc0 && first <= 0x24f) scripts.latin += letters;
  };

  /** Finds the profile's Chinese terms in a run of Han characters; returns the run's end. */
  const scanHan = (text: string, start: number, weight: number, field: number): number => {
    let end = start + 1;
    while (end < text.length && isHan(text.charCodeAt(end))) end++;
    scripts.han += end - start;
    if (hanTerms.size === 0) return end;
    // Leftmost longest: 俄罗斯 is one mention of Russia, not also one of 俄.
    for (let position = start; position < end; position++) {
      const candidates = hanTerms.get(text.charCodeAt(position));
      if (candidates === undefined) continue;
      for (const candidate of candidates) {
        if (position + candidate.text.length <= end && text.startsWith(candidate.text, position)) {
          hit(candidate.sequence, weight, field, position, position + candidate.text.length);
          position += candidate.text.length - 1;
          break;
        }
      }
    }
    return end;
  };

  /**
   * Weighs each facet mention for the alert combinations: a name listed among names the profile
   * does not know counts `enumerationFactor` of its field weight (see enumerations.ts). Returns
   * the listed terms, for the explanation.
   */
  const weighEnumerations = (input: ScoreInput, enumerationFactor: number): string[] => {
    const names: string[] = [];
    for (let field = 0; field < FIELDS.length; field++) {
      const text = field === 0 ? input.title : field === 1 ? input.summary : input.content;
      const indices: number[] = [];
      const spans: Mention[] = [];
      for (let index = 0; index < mentionCount; index++) {
        if (mentionField[index] !== field) continue;
        indices.push(index);
        spans.push({ start: mentionStart[index] as number, end: mentionEnd[index] as number });
      }
      const flags = text && spans.length > 0 ? listedMentions(text, spans) : [];
      const fieldWeight = fieldWeights[field] ?? 0;
      indices.forEach((index, position) => {
        const sequence = mentionSequence[index] as number;
        const isListed = flags[position] === true;
        const weight = isListed ? fieldWeight * enumerationFactor : fieldWeight;
        if (weight > (alertHitWeight[sequence] ?? 0)) alertHitWeight[sequence] = weight;
        const text = (sequences[sequence] as Sequence).text;
        if (isListed && namesAlertFacet[sequence] === 1 && !names.includes(text)) names.push(text);
      });
    }
    return names;
  };

  /** Forgets the words found in a script other than the item's, and their mentions. */
  const dropOtherScripts = (itemScript: Script) => {
    if (itemScript === Script.Other) return;
    let kept = 0;
    for (let index = 0; index < touchedCount; index++) {
      const sequence = touched[index] as number;
      const script = sequenceScript[sequence] as Script;
      if (script !== itemScript && script !== Script.Other) hitWeight[sequence] = 0;
      else touched[kept++] = sequence;
    }
    if (kept === touchedCount) return;
    touchedCount = kept;
    // A full mention list stays full: it lost mentions, so the enumeration check stays off.
    const overflowed = mentionCount >= MAX_MENTIONS;
    kept = 0;
    alertFacetSeen = false;
    for (let index = 0; index < mentionCount; index++) {
      const sequence = mentionSequence[index] as number;
      const script = sequenceScript[sequence] as Script;
      if (script !== itemScript && script !== Script.Other) continue;
      mentionSequence[kept] = sequence;
      mentionField[kept] = mentionField[index] as number;
      mentionStart[kept] = mentionStart[index] as number;
      mentionEnd[kept] = mentionEnd[index] as number;
      kept++;
      if (namesAlertFacet[sequence] === 1) alertFacetSeen = true;
    }
    mentionCount = overflowed ? MAX_MENTIONS : kept;
  };

  /** The item's language from the letters just scanned and the language it declares. */
  const languageOf = (input: ScoreInput): string | undefined => {
    if (scripts.cyrillic > scripts.latin) {
      // Only Cyrillic text needs a second look, for the letters that make it Ukrainian.
      scripts.ukrainian = countUkrainian(input.title) + countUkrainian(input.summary ?? '');
    }
    return detectLanguage(scripts, input.language);
  };

  // One frozen answer per language for every item that touches nothing: no allocation on the
  // common path.
  const untouchedByLanguage = new Map<string | undefined, ScoreResult>();
  const untouched = (lang: string | undefined): ScoreResult => {
    let result = untouchedByLanguage.get(lang);
    if (result === undefined) {
      result = deepFreeze({
        score: 0,
        match: false,
        alert: false,
        facets: [],
        terms: [],
        ...(lang ? { lang } : {}),
        explanation: {
          facets: [],
          terms: [],
          notes: hasMust ? [MUST_MISSING] : [],
          ...(lang ? { lang } : {}),
        },
      });
      untouchedByLanguage.set(lang, result);
    }
    return result;
  };

  return {
    profileVersion: profile.version,
    thresholds: { ...thresholds },
    score(input: ScoreInput): ScoreResult {
      touchedCount = 0;
      mentionCount = 0;
      alertFacetSeen = false;
      scripts.latin = 0;
      scripts.cyrillic = 0;
      scripts.han = 0;
      scripts.kana = 0;
      scripts.ukrainian = 0;
      scan(input.title, 0);
      if (input.summary) scan(input.summary, 1);
      if (input.content) scan(input.content, 2);
      const lang = languageOf(input);
      dropOtherScripts(dominantScript(scripts));

      // Most items touch nothing of the profile: answer them without the rule and explanation work.
      if (touchedCount === 0) return untouched(lang);
      facetEvidence.fill(0);
      facetAlertEvidence.fill(0);
      facetInTitle.fill(0);
      let seedEvidence = 0;
      let mustSeen = false;
      let mustNotSeen: string | undefined;
      for (let index = 0; index < touchedCount; index++) {
        const sequenceIndex = touched[index] as number;
        const sequence = sequences[sequenceIndex] as Sequence;
        const weight = hitWeight[sequenceIndex] as number;
        // Title words have the top field weight, so a title hit is always the one recorded.
        const inTitle = hitField[sequenceIndex] === 0;
        for (const role of sequence.facetRoles) {
          facetEvidence[role.facet] = (facetEvidence[role.facet] ?? 0) + role.weight * weight;
          if (inTitle) facetInTitle[role.facet] = 1;
        }
        seedEvidence += sequence.seedWeight * weight;
        if (sequence.must) mustSeen = true;
        if (sequence.mustNot) mustNotSeen = sequence.text;
      }
      const enumerationFactor =
        (lang === undefined ? undefined : enumerationFactors[lang]) ?? defaultEnumerationFactor;
      // A listed name only lowers the evidence of alert combinations, so the lists are read only
      // when one of them has evidence for every facet: otherwise none of them scores either way.
      const listed =
        alertFacetSeen &&
        mentionCount < MAX_MENTIONS &&
        enumerationFactor < 1 &&
        rules.some((rule) => rule.alert && rule.facets.every((facet) => facetEvidence[facet]))
          ? weighEnumerations(input, enumerationFactor)
          : undefined;
      if (listed) {
        for (let index = 0; index < touchedCount; index++) {
          const sequenceIndex = touched[index] as number;
          const alertWeight = alertHitWeight[sequenceIndex] as number;
          for (const role of (sequences[sequenceIndex] as Sequence).facetRoles) {
            facetAlertEvidence[role.facet] =
              (facetAlertEvidence[role.facet] ?? 0) + role.weight * alertWeight;
          }
        }
      } else {
        facetAlertEvidence.set(facetEvidence);
      }

      const resemblance = 1 - Math.exp(-seedEvidence / seedScale);
      const affinity = 1 - seedAffinity + seedAffinity * resemblance;
      // Alert-level combinations score on their own; match-level ones add up (noisy-OR: each
      // further piece of evidence closes part of the remaining gap) below MATCH_CEILING, so a
      // story that only matches can never outrank one that touches an alert combination.
      let bestAlert = 0;
      let missing = 1;
      for (const rule of rules) {
        let value = rule.weight * affinity;
        let anchored = false;
        const evidence = rule.alert ? facetAlertEvidence : facetEvidence;
        for (const facet of rule.facets) {
          value *= Math.min(1, evidence[facet] ?? 0);
          if (facetInTitle[facet] === 1) anchored = true;
        }
        if (rule.alert) {
          // An interplay met only in the summary is more often a passing mention.
          if (!anchored) value *= titleAnchor;
          if (value > bestAlert) bestAlert = value;
        } else {
          missing *= 1 - value;
        }
      }
      let best = Math.max(bestAlert, MATCH_CEILING * (1 - missing));
      const notes: string[] = [];
      if (hasMust && !mustSeen) notes.push(MUST_MISSING);
      if (mustNotSeen !== undefined) notes.push(`must-not term "${mustNotSeen}" appears`);
      if (notes.length > 0) {
        best = 0;
        bestAlert = 0;
      }
      if (listed && listed.length > 0) {
        notes.push(`listed among other names: ${listed.join(', ')} (× ${enumerationFactor})`);
      }
      const result = explain(round(best), bestAlert, resemblance, notes, lang);
      for (let index = 0; index < touchedCount; index++) {
        const sequenceIndex = touched[index] as number;
        hitWeight[sequenceIndex] = 0;
        alertHitWeight[sequenceIndex] = 0;
      }
      return result;
    },
  };

  function explain(
    score: number,
    alertValue: number,
    resemblance: number,
    notes: string[],
    lang: string | undefined,
  ): ScoreResult {
    const limits = (lang && languageThresholds[lang]) || thresholds;
    const facets: ScoreResult['explanation']['facets'] = [];
    profile.facets.forEach((facet, index) => {
      const evidence = facetEvidence[index] ?? 0;
      if (evidence <= 0) return;
      const matched: string[] = [];
      for (let position = 0; position < touchedCount; position++) {
        const sequence = sequences[touched[position] as number] as Sequence;
        if (sequence.facetRoles.some((role) => role.facet === index)) matched.push(sequence.text);
      }
      facets.push({ name: facet.name, score: round(Math.min(1, evidence)), matched });
    });
    const terms: ScoreResult['explanation']['terms'] = [];
    for (let position = 0; position < touchedCount; position++) {
      const sequenceIndex = touched[position] as number;
      const sequence = sequences[sequenceIndex] as Sequence;
      let roleWeight = sequence.seedWeight;
      for (const role of sequence.facetRoles) roleWeight += role.weight;
      terms.push({
        term: sequence.text,
        contribution: round(roleWeight * (hitWeight[sequenceIndex] ?? 0)),
        field: FIELDS[hitField[sequenceIndex] ?? 0] as Field,
      });
    }
    terms.sort((a, b) => b.contribution - a.contribution);
    terms.length = Math.min(terms.length, MAX_EXPLAINED_TERMS);
    notes.push(`seed resemblance ${round(resemblance)}`);
    return {
      score,
      match: score >= limits.match,
      alert: score >= limits.match && alertValue >= limits.alert,
      facets: facets.map((facet) => facet.name),
      terms: terms.map((term) => term.term),
      ...(lang ? { lang } : {}),
      explanation: { facets, terms, notes, ...(lang ? { lang } : {}) },
    };
  }
}

/**
 * A word character's code, ASCII letters folded to lowercase; 0 for a character between words
 * and for Han characters, whose runs the scan reads apart.
 */
function wordCode(code: number): number {
  if (code < 128) return ASCII_WORD[code] as number;
  // Russian letters are folded here as ASCII ones are, so a token's case costs no second entry.
  if (code >= 0x400 && code <= 0x44f) return cyrillicLower(code);
  return isWordChar(code) && !isHan(code) ? code : 0;
}

/** Lowercase of a basic Cyrillic letter (А-Я, Ѐ-Џ). */
function cyrillicLower(code: number): number {
  if (code >= 0x410 && code <= 0x42f) return code + 0x20;
  if (code <= 0x40f) return code + 0x50;
  return code;
}

/** Adjacent Chinese stems of a pattern form one term, found as one string in a Han run. */
function joinHanStems(stems: readonly string[]): readonly string[] {
  if (!stems.some(isHanText)) return stems;
  const joined: string[] = [];
  let run = '';
  for (const part of stems) {
    if (isHanText(part)) {
      run += part;
      continue;
    }
    if (run) joined.push(run);
    run = '';
    joined.push(part);
  }
  if (run) joined.push(run);
  return joined;
}

function countUkrainian(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    if (isUkrainianLetter(text.charCodeAt(index))) count++;
  }
  return count;
}

interface MemoEntry {
  token: string;
  id: number;
  next: MemoEntry | undefined;
}

/** Compares a lowercase memo token with text[start, end) as if that were lowercased too. */
function sameToken(token: string, text: string, start: number, end: number): boolean {
  if (token.length !== end - start) return false;
  for (let index = 0; index < token.length; index++) {
    let code = text.charCodeAt(start + index);
    if (code >= 65 && code <= 90) code += 32;
    else if (code >= 0x400 && code <= 0x44f) code = cyrillicLower(code);
    else if (code >= 128) code = String.fromCharCode(code).toLowerCase().charCodeAt(0);
    if (code !== token.charCodeAt(index)) return false;
  }
  return true;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * A Cyrillic part of one or two letters hyphenated to the word before it is a piece of that
 * word, not a word of its own: the particles of что-то, где-то, скажи-ка and the syllables
 * of a hyphenated name (Би-би-си, the BBC, whose last part would otherwise read as Си, Xi).
 */
function isHyphenatedTail(text: string, start: number, end: number, first: number): boolean {
  return (
    end - start <= 2 &&
    first >= 0x400 &&
    start >= 2 &&
    text.charCodeAt(start - 1) === 45 &&
    wordCode(text.charCodeAt(start - 2)) !== 0
  );
}

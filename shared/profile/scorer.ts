import type { ScoreInput, ScoreResult, Scorer } from './score-types.ts';
import { isNoiseToken, stem } from './stemming.ts';
import { isWordChar } from './text-tokens.ts';
import type { TopicProfile } from './topic-profile.ts';

export type { Scorer } from './score-types.ts';

const FIELDS = ['title', 'summary', 'content'] as const;
type Field = (typeof FIELDS)[number];
/** Token -> vocabulary id memo; cleared when full so a long-running process stays bounded. */
const TOKEN_CACHE_LIMIT = 50_000;
const NOISE = -2;
const UNKNOWN = -1;
const ID_SPACE = 65_536;
const MAX_EXPLAINED_TERMS = 10;
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
  const unigrams = new Map<number, number>();
  const bigrams = new Map<number, number>();
  const trigrams = new Map<number, number>();

  const sequenceFor = (stems: readonly string[], text: string): Sequence => {
    // Phrases longer than three content words are matched on their first three.
    const head = stems.slice(0, 3);
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
    if (ids.length === 1) unigrams.set(a, index);
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

  const facetIndex = new Map(profile.facets.map((facet, index) => [facet.name, index]));
  const rules = profile.rules.map((rule) => ({
    facets: rule.facets.map((name) => facetIndex.get(name) ?? -1),
    weight: rule.weight,
    alert: rule.level === 'alert',
  }));
  const fieldWeights = FIELDS.map((field) => profile.fieldWeights[field]);
  const { seedAffinity, seedScale, thresholds } = profile;
  const hasMust = profile.must.length > 0;

  // Per-item scratch space, reused: scoring is synchronous, so one item at a time uses it.
  const hitWeight = new Float64Array(sequences.length);
  const hitField = new Uint8Array(sequences.length);
  const touched = new Int32Array(sequences.length);
  let touchedCount = 0;
  const facetEvidence = new Float64Array(profile.facets.length);
  const tokenIds = new Map<string, number>();

  const idOf = (token: string): number => {
    let id = tokenIds.get(token);
    if (id === undefined) {
      id = isNoiseToken(token) ? NOISE : (vocabulary.get(stem(token)) ?? UNKNOWN);
      if (tokenIds.size >= TOKEN_CACHE_LIMIT) tokenIds.clear();
      tokenIds.set(token, id);
    }
    return id;
  };

  const hit = (sequence: number | undefined, weight: number, field: number) => {
    if (sequence === undefined) return;
    const previous = hitWeight[sequence] ?? 0;
    if (previous === 0) touched[touchedCount++] = sequence;
    if (weight > previous) {
      hitWeight[sequence] = weight;
      hitField[sequence] = field;
    }
  };

  const scan = (raw: string, field: number) => {
    const weight = fieldWeights[field] ?? 0;
    const text = raw.toLowerCase();
    let previous = UNKNOWN;
    let beforePrevious = UNKNOWN;
    let start = -1;
    for (let index = 0; index <= text.length; index++) {
      const code = index < text.length ? text.charCodeAt(index) : 32;
      if (isWordChar(code)) {
        if (start < 0) start = index;
        continue;
      }
      if (start < 0) continue;
      const id = idOf(text.slice(start, index));
      start = -1;
      // Stopwords are skipped as they were when the profile was built ("power of siberia").
      if (id === NOISE) continue;
      if (id >= 0) {
        hit(unigrams.get(id), weight, field);
        if (previous >= 0) {
          hit(bigrams.get(previous * ID_SPACE + id), weight, field);
          if (beforePrevious >= 0) {
            hit(
              trigrams.get((beforePrevious * ID_SPACE + previous) * ID_SPACE + id),
              weight,
              field,
            );
          }
        }
      }
      beforePrevious = previous;
      previous = id;
    }
  };

  return {
    profileVersion: profile.version,
    thresholds: { ...thresholds },
    score(input: ScoreInput): ScoreResult {
      touchedCount = 0;
      facetEvidence.fill(0);
      scan(input.title, 0);
      if (input.summary) scan(input.summary, 1);
      if (input.content) scan(input.content, 2);

      let seedEvidence = 0;
      let mustSeen = false;
      let mustNotSeen: string | undefined;
      for (let index = 0; index < touchedCount; index++) {
        const sequenceIndex = touched[index] as number;
        const sequence = sequences[sequenceIndex] as Sequence;
        const weight = hitWeight[sequenceIndex] as number;
        for (const role of sequence.facetRoles) {
          facetEvidence[role.facet] = (facetEvidence[role.facet] ?? 0) + role.weight * weight;
        }
        seedEvidence += sequence.seedWeight * weight;
        if (sequence.must) mustSeen = true;
        if (sequence.mustNot) mustNotSeen = sequence.text;
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
        for (const facet of rule.facets) value *= Math.min(1, facetEvidence[facet] ?? 0);
        if (rule.alert) {
          if (value > bestAlert) bestAlert = value;
        } else {
          missing *= 1 - value;
        }
      }
      let best = Math.max(bestAlert, MATCH_CEILING * (1 - missing));
      const notes: string[] = [];
      if (hasMust && !mustSeen) notes.push('none of the must terms appears');
      if (mustNotSeen !== undefined) notes.push(`must-not term "${mustNotSeen}" appears`);
      if (notes.length > 0) {
        best = 0;
        bestAlert = 0;
      }
      const result = explain(round(best), bestAlert, resemblance, notes);
      for (let index = 0; index < touchedCount; index++) {
        const sequenceIndex = touched[index] as number;
        hitWeight[sequenceIndex] = 0;
      }
      return result;
    },
  };

  function explain(
    score: number,
    alertValue: number,
    resemblance: number,
    notes: string[],
  ): ScoreResult {
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
      match: score >= thresholds.match,
      alert: score >= thresholds.match && alertValue >= thresholds.alert,
      facets: facets.map((facet) => facet.name),
      terms: terms.map((term) => term.term),
      explanation: { facets, terms, notes },
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

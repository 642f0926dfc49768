import type { Grade, LabeledItem } from '#shared/eval/labeled-item.ts';
import { backtestItemOfLabeled } from '#shared/profile/backtest-items.ts';
import {
  type BacktestReport,
  type BacktestSource,
  compareDecisions,
  type Decision,
  decidedGrade,
  decideItems,
} from '#shared/profile/profile-backtest.ts';
import type { ProfileOverlay } from '#shared/profile/profile-overlay-schema.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { isNoiseToken, stem } from '#shared/profile/stemming.ts';
import { analysisTokens } from '#shared/profile/text-tokens.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';

export type SuggestionKind = 'facet-term' | 'must-not' | 'rule-weight' | 'threshold';

export interface Suggestion {
  kind: SuggestionKind;
  /** One line a person reads: what would change. */
  description: string;
  /** The overlay with this one change. */
  overlay: ProfileOverlay;
  /** What it does to the graded items against the profile in use, as `profile diff` reports it. */
  backtest: BacktestReport;
}

export interface SuggestionReport {
  /** Each change that fixes more graded items than it breaks, best first. */
  suggestions: Suggestion[];
  /** The helpful changes taken together, each kept only if the whole still gains. */
  combined?: { overlay: ProfileOverlay; taken: string[]; backtest: BacktestReport };
}

export interface SuggestDeps {
  /** The profile in use. */
  profile: TopicProfile;
  /** The overlay it was derived from, as written. */
  overlay: ProfileOverlay;
  /** The profile the seeds give under another overlay. */
  variant: (overlay: ProfileOverlay) => TopicProfile;
}

/** Most suggestions shown, and most candidate words tried of each kind. */
export const SUGGESTION_LIMIT = 10;
const WORDS_TRIED = 8;
/**
 * A word must come from at least this many wrong items: one item's words are mostly that
 * item's accidents, and a backtest on the item itself would always show them helping.
 */
const MIN_WORD_SUPPORT = 2;
const WEIGHT_STEP = 0.1;

/**
 * Proposes overlay edits that would fix the profile's errors on the user's graded items: a term
 * added to a facet (from words the missed items share and the items graded 0 lack), a must-not
 * term (from words the false matches share and no relevant item has), a rule's weight up or
 * down, and the match or alert threshold. Each is backtested on every graded item, so what it
 * breaks shows beside what it fixes. Nothing is applied: the caller shows them and may write the
 * combined overlay to a file for `profile diff` and `profile apply`.
 */
export function suggestOverlayEdits(
  deps: SuggestDeps,
  items: readonly LabeledItem[],
  /** Where the items came from, as the backtests name it. */
  source: Extract<BacktestSource, 'feedback' | 'labels'> = 'feedback',
): SuggestionReport {
  // The profile in use decides each item once; every candidate is compared with that.
  const graded = items.map((item) => backtestItemOfLabeled(item, source));
  const current = decideItems(graded, createScorer(deps.profile));
  const before = scoredItems(items, current.decisions);
  const backtestOf = (overlay: ProfileOverlay) =>
    compareDecisions(graded, current, decideItems(graded, createScorer(deps.variant(overlay))));
  const candidates = [
    ...facetTermCandidates(deps, before),
    ...mustNotCandidates(deps, before),
    ...ruleWeightCandidates(deps.overlay),
    ...thresholdCandidates(deps, before),
  ];
  const suggestions = candidates
    .map((candidate) => ({ ...candidate, backtest: backtestOf(candidate.overlay) }))
    .filter((suggestion) => suggestion.backtest.fixed.length > suggestion.backtest.broken.length)
    .sort(
      (a, b) =>
        net(b.backtest) - net(a.backtest) ||
        f1Gain(b.backtest) - f1Gain(a.backtest) ||
        a.description.localeCompare(b.description),
    )
    .slice(0, SUGGESTION_LIMIT);
  return { suggestions, ...combine(deps, suggestions, backtestOf) };
}

/** A graded item with what the profile in use made of it: where the candidates come from. */
interface ScoredItem {
  item: LabeledItem;
  score: number;
  decided: Grade;
}

function scoredItems(items: readonly LabeledItem[], decisions: readonly Decision[]): ScoredItem[] {
  return items.map((item, index) => {
    const decision = decisions[index] as Decision;
    return { item, score: decision.score, decided: decidedGrade(decision) };
  });
}

function net(result: BacktestReport): number {
  return result.fixed.length - result.broken.length;
}

/** Between changes that fix as many, the one that lifts match and alert F1 more comes first. */
function f1Gain(result: BacktestReport): number {
  const { current, proposed } = result.graded ?? {};
  if (!current || !proposed) return 0;
  return proposed.match.f1 - current.match.f1 + proposed.alert.f1 - current.alert.f1;
}

/** Takes the suggestions best first, keeping each that still adds fixes to those taken. */
function combine(
  deps: SuggestDeps,
  suggestions: readonly Suggestion[],
  backtestOf: (overlay: ProfileOverlay) => BacktestReport,
): Pick<SuggestionReport, 'combined'> {
  let overlay = deps.overlay;
  let current: BacktestReport | undefined;
  const taken: string[] = [];
  for (const suggestion of suggestions) {
    const merged = mergeChange(overlay, deps.overlay, suggestion.overlay);
    const result = backtestOf(merged);
    if (net(result) > (current ? net(current) : 0)) {
      overlay = merged;
      current = result;
      taken.push(suggestion.description);
    }
  }
  return current ? { combined: { overlay, taken, backtest: current } } : {};
}

/** `base` with the change that turned `original` into `changed`. */
function mergeChange(
  base: ProfileOverlay,
  original: ProfileOverlay,
  changed: ProfileOverlay,
): ProfileOverlay {
  const facets = { ...base.facets };
  for (const [name, facet] of Object.entries(changed.facets ?? {})) {
    const added = facet.terms.filter((term) => !original.facets?.[name]?.terms.includes(term));
    const target = facets[name];
    if (target && added.length > 0)
      facets[name] = { ...target, terms: [...target.terms, ...added] };
  }
  const rules = (base.rules ?? []).map((rule, index) =>
    changed.rules?.[index]?.weight !== original.rules?.[index]?.weight
      ? { ...rule, weight: changed.rules?.[index]?.weight ?? rule.weight }
      : rule,
  );
  return {
    ...base,
    ...(base.facets ? { facets } : {}),
    ...(base.rules ? { rules } : {}),
    mustNot: [...new Set([...base.mustNot, ...changed.mustNot])],
    thresholds: { ...base.thresholds, ...changedKeys(original.thresholds, changed.thresholds) },
  };
}

function changedKeys<T extends Record<string, unknown>>(original: T, changed: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(changed).filter(([key, value]) => original[key] !== value),
  ) as Partial<T>;
}

interface Candidate {
  kind: SuggestionKind;
  description: string;
  overlay: ProfileOverlay;
}

/** Words of the missed items that no item graded 0 uses, tried in each facet. */
function facetTermCandidates(deps: SuggestDeps, scored: readonly ScoredItem[]): Candidate[] {
  const missed = scored.filter((entry) => entry.decided === 0 && entry.item.grade >= 1);
  const negatives = scored.filter((entry) => entry.item.grade === 0);
  const words = distinctiveWords(missed, negatives, knownStems(deps.overlay));
  const facets = Object.entries(deps.overlay.facets ?? {});
  return words.flatMap((word) =>
    facets.map(([name, facet]) => ({
      kind: 'facet-term' as const,
      description: `add "${word}" to the facet ${name}`,
      overlay: {
        ...deps.overlay,
        facets: { ...deps.overlay.facets, [name]: { ...facet, terms: [...facet.terms, word] } },
      },
    })),
  );
}

/** Words of the false matches that no relevant item uses, as must-not terms. */
function mustNotCandidates(deps: SuggestDeps, scored: readonly ScoredItem[]): Candidate[] {
  const falseMatches = scored.filter((entry) => entry.decided >= 1 && entry.item.grade === 0);
  const relevant = scored.filter((entry) => entry.item.grade >= 1);
  return distinctiveWords(falseMatches, relevant, knownStems(deps.overlay)).map((word) => ({
    kind: 'must-not' as const,
    description: `add "${word}" to mustNot (an item naming it scores 0)`,
    overlay: { ...deps.overlay, mustNot: [...deps.overlay.mustNot, word] },
  }));
}

/** Each combination rule's weight a step up and a step down. */
function ruleWeightCandidates(overlay: ProfileOverlay): Candidate[] {
  return (overlay.rules ?? []).flatMap((rule, index) =>
    [rule.weight + WEIGHT_STEP, rule.weight - WEIGHT_STEP]
      .map((weight) => Math.round(weight * 100) / 100)
      .filter((weight) => weight >= 0 && weight <= 1)
      .map((weight) => ({
        kind: 'rule-weight' as const,
        description: `set the weight of the ${rule.level} rule ${rule.facets.join(' + ')} from ${rule.weight} to ${weight}`,
        overlay: {
          ...overlay,
          rules: (overlay.rules ?? []).map((other, at) =>
            at === index ? { ...other, weight } : other,
          ),
        },
      })),
  );
}

/** For match and for alert, the threshold between graded scores that decides the most items right. */
function thresholdCandidates(deps: SuggestDeps, scored: readonly ScoredItem[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const level of ['match', 'alert'] as const) {
    const minimum = level === 'match' ? 1 : 2;
    const current = deps.profile.thresholds[level];
    const scores = [...new Set(scored.map((entry) => entry.score))].sort((a, b) => a - b);
    const cuts = scores.slice(1).map((score, index) => (score + (scores[index] as number)) / 2);
    let best = { threshold: current, right: rightAt(scored, minimum, current) };
    for (const cut of cuts) {
      const threshold = Math.round(cut * 1000) / 1000;
      if (threshold <= 0 || threshold >= 1) continue;
      const right = rightAt(scored, minimum, threshold);
      if (right > best.right) best = { threshold, right };
    }
    if (best.threshold !== current) {
      candidates.push({
        kind: 'threshold',
        description: `set the ${level} threshold from ${current} to ${best.threshold}`,
        overlay: {
          ...deps.overlay,
          thresholds: { ...deps.overlay.thresholds, [level]: best.threshold },
        },
      });
    }
  }
  return candidates;
}

function rightAt(scored: readonly ScoredItem[], minimum: number, threshold: number): number {
  return scored.filter((entry) => entry.score >= threshold === entry.item.grade >= minimum).length;
}

/**
 * Words (by stem) in at least MIN_WORD_SUPPORT of `wrong` and in none of `others`, most shared
 * first, each as its most frequent written form.
 */
function distinctiveWords(
  wrong: readonly ScoredItem[],
  others: readonly ScoredItem[],
  known: ReadonlySet<string>,
): string[] {
  const excluded = new Set(others.flatMap((entry) => [...stemsOf(entry.item).keys()]));
  const support = new Map<string, number>();
  const forms = new Map<string, Map<string, number>>();
  for (const entry of wrong) {
    for (const [stemmed, words] of stemsOf(entry.item)) {
      if (excluded.has(stemmed) || known.has(stemmed)) continue;
      support.set(stemmed, (support.get(stemmed) ?? 0) + 1);
      const counts = forms.get(stemmed) ?? new Map<string, number>();
      for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
      forms.set(stemmed, counts);
    }
  }
  return [...support]
    .filter(([, count]) => count >= MIN_WORD_SUPPORT)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, WORDS_TRIED)
    .map(([stemmed]) => {
      const counts = [...(forms.get(stemmed) ?? new Map<string, number>())];
      counts.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      return counts[0]?.[0] ?? stemmed;
    });
}

/** Stem -> the written forms of it in the item's title and summary (noise words left out). */
function stemsOf(item: LabeledItem): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const token of analysisTokens(`${item.title} ${item.summary ?? ''}`)) {
    if (isNoiseToken(token) || token.length < 3) continue;
    const stemmed = stem(token);
    found.set(stemmed, [...(found.get(stemmed) ?? []), token]);
  }
  return found;
}

/** Stems of every word the overlay already names: no use proposing them again. */
function knownStems(overlay: ProfileOverlay): Set<string> {
  const words = [
    ...Object.entries(overlay.aliases).flatMap(([name, aliases]) => [name, ...aliases]),
    ...Object.values(overlay.facets ?? {}).flatMap((facet) => facet.terms),
    ...overlay.must,
    ...overlay.mustNot,
  ];
  return new Set(words.flatMap((word) => analysisTokens(word).map((token) => stem(token))));
}

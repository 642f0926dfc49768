import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createStoryAssigner,
  InvalidStoredAtError,
  type StoryAssignerOptions,
  StoryAssignerOptionsError,
} from '#shared/alerts/story-assigner.ts';
import {
  parseSignature,
  SIGNATURE_SLOTS,
  signatureSimilarity,
  slotSimilarity,
  storySignature,
} from '#shared/alerts/story-clusterer.ts';
import type { StoryIndex, StorySignature } from '#shared/store/store-ports.ts';
import type {
  StoryAssigner,
  StoryAssignment,
  StoryCandidateInput,
} from '#shared/sweep/story-assigner.ts';

/**
 * The story assigner as it was first written, kept as the definition of its answers: every call
 * lists the signatures in the window (newest first when more than maxCandidates) and takes the
 * story with the highest mean similarity over its listed members, the first listed on a tie.
 */
function referenceStoryAssigner(index: StoryIndex, options: StoryAssignerOptions): StoryAssigner {
  const windowHours = options.windowHours ?? 48;
  const threshold = options.threshold ?? 0.25;
  const maxCandidates = options.maxCandidates ?? 1000;
  const now = options.now ?? (() => new Date());
  const refreshMs = options.refreshMs ?? 5000;
  const overlapMs = options.overlapMs ?? 30_000;
  const known = new Map<string, StorySignature>();
  let newestSeenMs = Number.NEGATIVE_INFINITY;
  let refreshedAtMs = Number.NEGATIVE_INFINITY;

  async function recentSignatures(): Promise<StorySignature[]> {
    const nowMs = now().getTime();
    const windowStartMs = nowMs - windowHours * 3_600_000;
    if (nowMs - refreshedAtMs >= refreshMs) {
      const sinceMs = Math.max(windowStartMs, newestSeenMs - overlapMs);
      const fresh = await index.recentSignatures(new Date(sinceMs).toISOString(), maxCandidates);
      for (const entry of fresh) remember(entry);
      refreshedAtMs = nowMs;
    }
    for (const [matchId, entry] of known) {
      if (Date.parse(entry.storedAt) < windowStartMs) known.delete(matchId);
    }
    const recent = [...known.values()];
    return recent.length <= maxCandidates
      ? recent
      : recent.sort((a, b) => b.storedAt.localeCompare(a.storedAt)).slice(0, maxCandidates);
  }

  function remember(entry: StorySignature): void {
    known.set(entry.matchId, entry);
    newestSeenMs = Math.max(newestSeenMs, Date.parse(entry.storedAt));
  }

  return {
    async assign(candidate: StoryCandidateInput): Promise<StoryAssignment> {
      const signature = storySignature(candidate.title, candidate.summary);
      const memberOf = (storyId: string): StorySignature => ({
        storyId,
        signature,
        matchId: candidate.matchId,
        feed: candidate.feed,
        title: candidate.title,
        storedAt: candidate.storedAt,
      });
      const recent = await recentSignatures();
      const earlier = recent.find((entry) => entry.matchId === candidate.matchId);
      if (earlier) {
        return {
          storyId: earlier.storyId,
          isNew: earlier.storyId === candidate.matchId,
          member: memberOf(earlier.storyId),
        };
      }
      const totals = new Map<string, { sum: number; count: number }>();
      for (const entry of recent) {
        const total = totals.get(entry.storyId) ?? { sum: 0, count: 0 };
        total.sum += signatureSimilarity(signature, entry.signature);
        total.count += 1;
        totals.set(entry.storyId, total);
      }
      let best: { storyId: string; similarity: number } | undefined;
      for (const [storyId, { sum, count }] of totals) {
        const similarity = sum / count;
        if (!best || similarity > best.similarity) best = { storyId, similarity };
      }
      const storyId = best && best.similarity >= threshold ? best.storyId : candidate.matchId;
      const member = memberOf(storyId);
      remember(member);
      return { storyId, isNew: storyId === candidate.matchId, member };
    },
  };
}

/**
 * The StoryIndex port over a Map, so a property can run hundreds of sequences in a second. The
 * DynamoDB adapter's own behaviour is covered in test/integration/store; here both assigners need
 * only the same signatures back, newest first.
 */
function memoryStoryIndex(): StoryIndex {
  const signatures = new Map<string, StorySignature>();
  return {
    async recentSignatures(sinceIso, limit) {
      return [...signatures.values()]
        .filter((entry) => entry.storedAt >= sinceIso)
        .sort((a, b) => (`${b.storedAt}#${b.matchId}` < `${a.storedAt}#${a.matchId}` ? -1 : 1))
        .slice(0, limit);
    },
    async addStoryMember(signature) {
      signatures.set(signature.matchId, { ...signature });
    },
    async storyMembers(storyId) {
      return [...signatures.values()].filter((entry) => entry.storyId === storyId);
    },
  };
}

const START_MS = Date.parse('2026-11-29T05:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// A few event words and some stopwords: random headlines often share most of their words, and
// a headline of stopwords alone has an empty signature.
const VOCABULARY = [
  'quake',
  'city',
  'dead',
  'flood',
  'river',
  'storm',
  'port',
  'strike',
  'the',
  'of',
];
const headline = fc
  .array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 5 })
  .map((words) => words.join(' '));
// Exact repeats, so that two stories tie and which one comes first decides.
const copy = fc.constantFrom('quake city', 'flood river', 'storm port strike', 'the of');

function scenarioOf(title: fc.Arbitrary<string>, maxCandidates: fc.Arbitrary<number>) {
  const step = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('assign' as const),
        // Few ids, so retries of a match (within and beyond the candidates) happen.
        matchId: fc.integer({ min: 0, max: 24 }).map((n) => `m${n}`),
        title,
        advanceMs: fc.constantFrom(0, 0, 0, 1000, 5000, 90_000, 20 * MINUTE, HOUR),
        storedEarlierMs: fc.constantFrom(0, 0, 0, 500, 45_000, 2 * HOUR),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('other' as const),
        storyOf: fc.integer({ min: 0, max: 24 }).map((n) => `m${n}`),
        title,
        advanceMs: fc.constantFrom(0, 0, 1000, 90_000),
        storedEarlierMs: fc.constantFrom(0, 0, 1000, 60_000, 3 * HOUR),
      }),
    },
    {
      weight: 1,
      // Another writer stores a match this assigner already knows, moved in time or story.
      arbitrary: fc.record({
        kind: fc.constant('rewrite' as const),
        matchId: fc.integer({ min: 0, max: 24 }).map((n) => `m${n}`),
        storyOf: fc.integer({ min: 0, max: 24 }).map((n) => `m${n}`),
        title,
        advanceMs: fc.constantFrom(0, 1000),
        storedEarlierMs: fc.constantFrom(0, 1000, 60_000),
      }),
    },
  );
  return fc.record({
    options: fc.record({
      windowHours: fc.constantFrom(1, 2, 48),
      threshold: fc.constantFrom(0, 0.25, 0.25, 0.4),
      maxCandidates,
      refreshMs: fc.constantFrom(0, 5000, 5000),
      overlapMs: fc.constantFrom(0, 30_000, 30_000),
    }),
    steps: fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }),
  });
}

const scenario = scenarioOf(fc.oneof(headline, copy), fc.constantFrom(0, 1, 2, 3, 5, 8, 1000));
const copiesScenario = scenarioOf(copy, fc.constantFrom(2, 3, 4));

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** Runs the same steps through two assigners, each with its own index and the same clock. */
async function storyIdsOf(
  make: (index: StoryIndex, options: StoryAssignerOptions) => StoryAssigner,
  options: StoryAssignerOptions,
  steps: Scenario['steps'],
): Promise<string[]> {
  let nowMs = START_MS;
  const index = memoryStoryIndex();
  const assigner = make(index, { ...options, now: () => new Date(nowMs) });
  const answers: string[] = [];
  let others = 0;
  for (const next of steps) {
    nowMs += next.advanceMs;
    if (next.kind === 'other' || next.kind === 'rewrite') {
      // Another writer's member, stored directly and found through a refresh.
      const matchId = next.kind === 'rewrite' ? next.matchId : `other-${others++}`;
      await index.addStoryMember({
        matchId,
        storyId: next.storyOf,
        signature: storySignature(next.title),
        feed: 'Other outlet',
        title: next.title,
        storedAt: new Date(nowMs - next.storedEarlierMs).toISOString(),
      });
      continue;
    }
    const result = await assigner.assign({
      matchId: next.matchId,
      feed: 'Outlet',
      title: next.title,
      summary: '',
      storedAt: new Date(nowMs - next.storedEarlierMs).toISOString(),
    });
    // Stored by the caller, as a poll stores it with its match.
    await index.addStoryMember(result.member);
    answers.push(`${next.matchId}:${result.storyId}:${result.isNew}`);
  }
  return answers;
}

describe('createStoryAssigner', () => {
  it('gives exactly the answers of the straightforward average-linkage assigner', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ options, steps }) => {
        const expected = await storyIdsOf(referenceStoryAssigner, options, steps);
        const actual = await storyIdsOf(createStoryAssigner, options, steps);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('breaks ties between stories of exact copies as the straightforward assigner does', async () => {
    await fc.assert(
      fc.asyncProperty(copiesScenario, async ({ options, steps }) => {
        const expected = await storyIdsOf(referenceStoryAssigner, options, steps);
        const actual = await storyIdsOf(createStoryAssigner, options, steps);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});

describe('slotSimilarity', () => {
  const slotText = fc.oneof(
    fc.constantFrom('0000', '00ab', '00AB', 'ffff', 'zz!?'),
    fc.stringMatching(/^[0-9a-f]{4}$/),
  );
  const signature = fc
    .array(slotText, { minLength: SIGNATURE_SLOTS, maxLength: SIGNATURE_SLOTS })
    .map((slots) => slots.join(''));

  it('agrees with signatureSimilarity on the parsed signatures, odd slot text included', () => {
    fc.assert(
      fc.property(signature, signature, (a, b) => {
        expect(slotSimilarity(parseSignature(a), parseSignature(b))).toBe(
          signatureSimilarity(a, b),
        );
      }),
    );
  });

  it('compares a signature of another length as 0', () => {
    const full = storySignature('Storm closes the harbour');
    expect(parseSignature('')).toBeUndefined();
    expect(slotSimilarity(parseSignature(full.slice(4)), parseSignature(full))).toBe(0);
  });
});

describe('createStoryAssigner checks', () => {
  it('rejects a candidate whose storedAt is not a timestamp, naming the match', async () => {
    const stories = createStoryAssigner(memoryStoryIndex());
    await expect(
      stories.assign({
        matchId: 'odd-1',
        feed: 'Outlet',
        title: 'Storm',
        summary: '',
        storedAt: 'soon',
      }),
    ).rejects.toThrow(InvalidStoredAtError);
  });

  it('rejects a maxCandidates that is not a whole number', () => {
    expect(() => createStoryAssigner(memoryStoryIndex(), { maxCandidates: 2.5 })).toThrow(
      StoryAssignerOptionsError,
    );
  });
});

describe('storySignature', () => {
  it('signs ASCII text as the full Unicode folding would', () => {
    // A lone closing quote is no word and folds to itself, but sends the text down the full path.
    const asciiText = fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzQUAKE .'-0123456789"),
    });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...VOCABULARY, 'U.S.', "it's", 'Zur')),
        asciiText,
        (words, noise) => {
          const text = `${words.join(' ')} ${noise}`;
          expect(storySignature(text)).toBe(storySignature(`${text} \u2019`));
        },
      ),
    );
  });
});

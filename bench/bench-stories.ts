/**
 * CPU per story assignment over 5,000 matches from the shared corpus, for the current assigner and
 * for the first one (assigner and clusterer read from git at BASELINE_COMMIT: it compared the hex
 * signatures). Both get the same matches, the same clock and an in-memory story index, so the
 * figures are the assigner's own cost; their answers must agree.
 * Prints a table and writes bench/results/bench-stories.json. Skips when the corpus is absent.
 *
 * Run: npx tsx bench/bench-stories.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStoryAssigner, type StoryAssignerOptions } from '#shared/alerts/story-assigner.ts';
import type { StoryIndex, StorySignature } from '#shared/store/store-ports.ts';
import type { StoryAssigner, StoryCandidateInput } from '#shared/sweep/story-assigner.ts';
import { machineInfo } from './lib/machine.ts';
import { writeResults } from './lib/results.ts';
import { formatTable, round } from './lib/table.ts';

/** The first assigner, which compared hex signatures: the definition of the answers. */
const BASELINE_COMMIT = 'c958275';
const MATCHES = 5000;
/** Matches of one feed share a storedAt, as a sweep stores them. */
const MATCHES_PER_FEED = 5;
/** Simulated time between two feeds' matches: 5,000 matches span about 8 minutes of a sweep. */
const FEED_GAP_MS = 500;

type Make = (index: StoryIndex, options: StoryAssignerOptions) => StoryAssigner;

const repoRoot = resolve(import.meta.dirname, '..');
const corpus = resolve(repoRoot, '../shared/corpus/items/all_items.jsonl');
const quick = process.argv.includes('--quick');

if (!existsSync(corpus)) {
  console.log(`bench-stories: ${corpus} is absent; skipping`);
  process.exit(0);
}

const matches = loadMatches();
const current = await measure(createStoryAssigner, quick ? 1 : 3);
const baselineMake = await loadBaseline();
const baseline = baselineMake ? await measure(baselineMake, 1) : undefined;
const answersAgree = baseline ? sameAnswers(current.storyIds, baseline.storyIds) : undefined;

const rows: (string | number)[][] = [
  ['parsed signatures (current)', current.microsPerAssignment, current.stories],
];
if (baseline) {
  rows.push([
    `hex signatures (${BASELINE_COMMIT})`,
    baseline.microsPerAssignment,
    baseline.stories,
  ]);
}
console.log(`matches: ${matches.length} (shared corpus titles and descriptions)`);
console.log(formatTable(['assigner', 'CPU us/assignment', 'stories'], rows));
if (baseline) {
  console.log(
    `${round(baseline.microsPerAssignment / current.microsPerAssignment)}x less CPU; answers ${answersAgree ? 'identical' : 'DIFFER'}`,
  );
} else {
  console.log(`baseline ${BASELINE_COMMIT} not readable from git; measured the current one only`);
}

const speedup = baseline ? baseline.microsPerAssignment / current.microsPerAssignment : undefined;
const pass = answersAgree !== false;
const file = writeResults('bench-stories', {
  matches: matches.length,
  matchesPerFeed: MATCHES_PER_FEED,
  feedGapMs: FEED_GAP_MS,
  statistic: 'process CPU (user + system) per assignment; fastest round for the current assigner',
  currentMicrosPerAssignment: current.microsPerAssignment,
  currentStories: current.stories,
  baselineCommit: BASELINE_COMMIT,
  baselineMicrosPerAssignment: baseline?.microsPerAssignment,
  baselineStories: baseline?.stories,
  answersAgree,
  speedup: speedup === undefined ? undefined : round(speedup),
  headline: {
    figure: `${current.microsPerAssignment} µs CPU/assignment${baseline ? ` (was ${baseline.microsPerAssignment})` : ''}`,
    target: 'the same stories as the first assigner',
    pass,
  },
  machine: machineInfo(),
});
console.log(`wrote ${file}`);

/** Assigns every match in order with a fresh assigner per round; the fastest round counts. */
async function measure(
  make: Make,
  rounds: number,
): Promise<{ microsPerAssignment: number; stories: number; storyIds: string[] }> {
  let best = Number.POSITIVE_INFINITY;
  let storyIds: string[] = [];
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    let nowMs = Date.parse('2026-11-29T05:00:00.000Z');
    const assigner = make(memoryStoryIndex(), { now: () => new Date(nowMs) });
    const ids: string[] = [];
    const start = process.cpuUsage();
    for (let at = 0; at < matches.length; at++) {
      if (at % MATCHES_PER_FEED === 0) nowMs += FEED_GAP_MS;
      const match = matches[at] as Omit<StoryCandidateInput, 'storedAt'>;
      const result = await assigner.assign({ ...match, storedAt: new Date(nowMs).toISOString() });
      ids.push(result.storyId);
    }
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / matches.length);
    storyIds = ids;
  }
  return {
    microsPerAssignment: round(best, 1),
    stories: new Set(storyIds).size,
    storyIds,
  };
}

/** The StoryIndex port over an array kept in storedAt order, cheap enough not to show. */
function memoryStoryIndex(): StoryIndex {
  const stored: StorySignature[] = [];
  return {
    async recentSignatures(sinceIso, limit) {
      const recent: StorySignature[] = [];
      for (let at = stored.length - 1; at >= 0 && recent.length < limit; at--) {
        const entry = stored[at] as StorySignature;
        if (entry.storedAt < sinceIso) break;
        recent.push(entry);
      }
      return recent;
    },
    async addStoryMember(signature) {
      stored.push(signature);
    },
    async storyMembers(storyId) {
      return stored.filter((entry) => entry.storyId === storyId);
    },
  };
}

/** The baseline assigner and its clusterer, from git; undefined where git cannot show them. */
async function loadBaseline(): Promise<Make | undefined> {
  let assigner: string;
  let clusterer: string;
  try {
    assigner = gitShow('shared/alerts/story-assigner.ts');
    clusterer = gitShow('shared/alerts/story-clusterer.ts');
  } catch {
    return undefined;
  }
  // Outside the repository the stemmer's package path does not resolve: point it at the file.
  const stemmerPath = 'natural/lib/natural/stemmers/porter_stemmer.js';
  const stemmer = pathToFileURL(createRequire(import.meta.url).resolve(stemmerPath)).href;
  const dir = mkdtempSync(join(tmpdir(), 'bench-stories-'));
  const file = join(dir, 'story-assigner.ts');
  writeFileSync(file, assigner);
  writeFileSync(
    join(dir, 'story-clusterer.ts'),
    clusterer.replace(`'${stemmerPath}'`, `'${stemmer}'`),
  );
  try {
    const module = (await import(pathToFileURL(file).href)) as { createStoryAssigner: Make };
    return module.createStoryAssigner;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function gitShow(path: string): string {
  return execFileSync('git', ['show', `${BASELINE_COMMIT}:${path}`], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

function sameAnswers(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((storyId, at) => storyId === b[at]);
}

function loadMatches(): Omit<StoryCandidateInput, 'storedAt'>[] {
  return readFileSync(corpus, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, MATCHES)
    .map((line, at) => {
      const item = JSON.parse(line) as { id?: string; title?: string; description?: string };
      return {
        matchId: item.id ?? `item-${at}`,
        feed: 'Corpus',
        title: item.title ?? '',
        summary: item.description ?? '',
      };
    });
}

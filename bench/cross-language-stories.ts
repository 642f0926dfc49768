/**
 * How often stories cross languages on the corpus, and which: every item of
 * ../shared/corpus/items/all_items.jsonl and ../shared/corpus/multilingual/items.jsonl with a
 * publication time that the shipped profile matches, assigned in publish order (clock = publish
 * time) by the real story assigner over an in-memory index. Prints the count of stories, the
 * mixed-language ones and their headlines, to be judged by a reader: the corpus has no
 * cross-language story labels.
 *
 *   npx tsx bench/cross-language-stories.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { StoryIndex, StorySignature } from '#shared/store/store-ports.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const CORPORA = [
  resolve(repoRoot, '../shared/corpus/items/all_items.jsonl'),
  resolve(repoRoot, '../shared/corpus/multilingual/items.jsonl'),
];

interface Item {
  id: string;
  title: string;
  summary: string;
  atMs: number;
}

function readItems(path: string): Item[] {
  const items: Item[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const raw = JSON.parse(line) as Record<string, string | undefined>;
    const atMs = Date.parse(raw.published ?? '');
    if (!raw.id || !raw.title || Number.isNaN(atMs)) continue;
    items.push({
      id: raw.id,
      title: raw.title,
      summary: raw.summary ?? raw.description ?? '',
      atMs,
    });
  }
  return items;
}

const missing = CORPORA.filter((path) => !existsSync(path));
if (missing.length > 0) {
  console.error(`Corpus not found: ${missing.join(', ')}`);
  process.exit(1);
}
const items = CORPORA.flatMap(readItems).sort((a, b) => a.atMs - b.atMs);
const scorer = createScorer(await loadProfile(resolve(repoRoot, 'seeds')));

const stored: StorySignature[] = [];
const index: StoryIndex = {
  async recentSignatures(sinceIso, limit) {
    return stored
      .filter((entry) => entry.storedAt >= sinceIso)
      .reverse()
      .slice(0, limit);
  },
  async addStoryMember(entry) {
    stored.push(entry);
  },
  async storyMembers() {
    return [];
  },
};
let clockMs = 0;
const assigner = createStoryAssigner(index, { now: () => new Date(clockMs), refreshMs: 0 });

const stories = new Map<string, { lang: string; at: string; title: string }[]>();
let matches = 0;
for (const item of items) {
  const scored = scorer.score({ title: item.title, summary: item.summary });
  if (!scored.match) continue;
  matches++;
  clockMs = item.atMs;
  const at = new Date(item.atMs).toISOString();
  const { storyId } = await assigner.assign({
    matchId: `${item.id}-${matches}`,
    feed: 'corpus',
    title: item.title,
    summary: item.summary,
    published: at,
    storedAt: at,
    lang: scored.lang,
    facets: scored.facets,
  });
  const members = stories.get(storyId) ?? [];
  members.push({ lang: scored.lang ?? '?', at: at.slice(0, 16), title: item.title.slice(0, 100) });
  stories.set(storyId, members);
}

const mixed = [...stories.values()].filter(
  (members) => new Set(members.map((member) => member.lang)).size > 1,
);
console.log(
  `${matches} matches, ${stories.size} stories, ${mixed.length} in more than one language`,
);
for (const members of mixed) {
  console.log('---');
  for (const member of members) console.log(`${member.lang} ${member.at} ${member.title}`);
}

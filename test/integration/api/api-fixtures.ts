import type { Match } from '#shared/store/match-schema.ts';
import type { Store } from '#shared/store/store-ports.ts';
import { sampleMatch } from '../../fixtures/api/api-test-data.ts';

const FACETS = ['trade', 'energy', 'diplomacy'] as const;
const FEEDS = ['Example Wire', 'Daily Ledger', 'Harbour Post'] as const;
const HOUR_MS = 3_600_000;

/**
 * `count` matches stored 11 hours apart (so they span several months), newest first, with
 * facets, outlets, scores and title words that vary by index so every filter selects a known set.
 * Times are relative to now so the store's retention never expires them.
 */
export function matchSet(count: number, now = Date.now()): Match[] {
  return Array.from({ length: count }, (_, index) => {
    const storedAt = new Date(now - HOUR_MS - index * 11 * HOUR_MS).toISOString();
    const facet = FACETS[index % FACETS.length] as string;
    return sampleMatch(index, {
      title:
        index % 5 === 0
          ? `Pipeline deal signed, report ${index}`
          : `Talks continue, report ${index}`,
      storedAt,
      published: storedAt,
      feed: FEEDS[index % FEEDS.length] as string,
      facets: index % 4 === 0 ? [facet, 'sanctions'] : [facet],
      score: 0.5 + (index % 10) * 0.05,
      alert: index % 10 >= 6,
      // The first two are one story told by two outlets.
      storyId: index === 1 ? 'story-0' : `story-${index}`,
      lang: index % 3 === 0 ? 'zh' : 'en',
    });
  });
}

/** Stores the matches and records the first two as members of their shared story. */
export async function storeMatches(
  store: Pick<Store, 'storeMatches' | 'addStoryMember'>,
  matches: Match[],
): Promise<void> {
  for (let start = 0; start < matches.length; start += 16) {
    await Promise.all(
      matches.slice(start, start + 16).map((match) => store.storeMatches([match], [], [])),
    );
  }
  const [first, second] = matches;
  if (!first || !second) return;
  for (const member of [second, first]) {
    await store.addStoryMember({
      storyId: first.storyId,
      matchId: member.id,
      feed: member.feed,
      title: member.title,
      link: member.link,
      published: member.published,
      signature: '0f0f0f0f',
      storedAt: member.storedAt,
    });
  }
}

/** The ids a filter should select, newest first. */
export function expectedIds(matches: Match[], accepts: (match: Match) => boolean): string[] {
  return matches
    .filter(accepts)
    .sort((a, b) => b.storedAt.localeCompare(a.storedAt))
    .map((match) => match.id);
}

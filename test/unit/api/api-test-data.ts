import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import type { FeedState } from '#shared/store/feed-state-schema.ts';
import type { Match } from '#shared/store/match-schema.ts';

/** A complete stored match; `n` makes ids, titles and times distinct and ordered. */
export function sampleMatch(n: number, overrides: Partial<Match> = {}): Match {
  const storedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + n * 60_000).toISOString();
  return {
    id: `match-${String(n).padStart(5, '0')}`,
    title: `Ministers meet for trade talks, round ${n}`,
    link: `https://news.example.com/story/${n}`,
    summary: 'Officials discussed energy supplies and payments.',
    feed: 'Example Wire',
    feedUrl: 'https://news.example.com/rss.xml',
    published: storedAt,
    storedAt,
    score: 0.8,
    alert: true,
    facets: ['trade'],
    terms: ['energy', 'trade talks'],
    explanation: {
      facets: [{ name: 'trade', score: 0.7, matched: ['energy'] }],
      terms: [{ term: 'energy', contribution: 0.3, field: 'title' }],
      notes: [],
    },
    profileVersion: 'profile-test',
    storyId: `story-${n}`,
    alsoReportedBy: [],
    alerted: false,
    ...overrides,
  };
}

export function sampleFeedState(name: string | undefined, url: string): FeedState {
  return {
    feedId: `feed-${url.length}`,
    url,
    ...(name ? { name } : {}),
    etag: '"abc"',
    lastModified: 'Wed, 01 Jan 2026 00:00:00 GMT',
    bodyHash: 'hash',
    lastFetchAt: '2026-01-01T00:00:00.000Z',
    lastSuccessAt: '2026-01-01T00:00:00.000Z',
    status: 'ok',
    lastHttpStatus: 200,
    consecutiveFailures: 0,
    fetchCount: 3,
    notModifiedCount: 1,
    errorCount: 0,
    itemsSeen: 42,
    matchesFound: 5,
  };
}

/** A small but complete profile, as the profile loader returns one. */
export const SAMPLE_PROFILE: TopicProfile = {
  version: 'profile-test',
  scorerVersion: 'scorer-test',
  seeds: [{ file: 'seed.txt', title: 'Ministers meet for trade talks', words: 120 }],
  thresholds: { match: 0.45, alert: 0.75 },
  fieldWeights: { title: 1, summary: 0.7, content: 0.4 },
  seedAffinity: 0.3,
  seedScale: 2,
  facets: [
    {
      name: 'trade',
      derived: true,
      patterns: [{ text: 'energy', stems: ['energi'], weight: 1 }],
    },
  ],
  rules: [{ facets: ['trade'], weight: 0.5, level: 'match' }],
  terms: [{ text: 'trade talks', stems: ['trade', 'talk'], weight: 0.8 }],
  entities: [{ name: 'Example Ministry', variants: ['the ministry'], count: 3 }],
  must: [],
  mustNot: [],
};

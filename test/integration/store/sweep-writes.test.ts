import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedItem } from '#shared/feeds/feed-item.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller, PollResult } from '#shared/feeds/feed-poller.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { StoryAssigner } from '#shared/sweep/story-assigner.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { ingestOne } from '../support/ingest-one.ts';
import { BACKENDS } from './backends.ts';

const FEED: FeedSpec = { url: 'https://news.example/feed.xml', name: 'Example', tags: [] };

function items(count: number, prefix = 'item'): NormalizedItem[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    feedUrl: FEED.url,
    title: `${index % 2 === 0 ? 'relevant' : 'other'} story ${index}`,
    summary: 'Summary.',
    link: `https://news.example/${index}`,
    dedupeKeys: [`url:https://news.example/${prefix}/${index}`],
  }));
}

/** Serves the same document on every poll. */
const poller: FeedPoller = {
  poll: async (): Promise<PollResult> => ({
    kind: 'parsed',
    httpStatus: 200,
    validators: {},
    feed: { title: 'Example' },
    items: items(6),
    warnings: [],
  }),
};

const scorer: Scorer = {
  profileVersion: 'test',
  thresholds: { match: 0.5, alert: 0.9 },
  score: ({ title }) => {
    const match = title.startsWith('relevant');
    return {
      score: match ? 0.7 : 0.1,
      match,
      alert: false,
      facets: match ? ['topic'] : [],
      terms: [],
      explanation: { facets: [], terms: [], notes: [] },
    };
  },
};

describe.each(BACKENDS)('sweep writes on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  const writes: string[] = [];

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName);
        if (/^(Put|Update|Delete|BatchWrite)/.test(name)) {
          const input = args.input as {
            Item?: { pk?: unknown };
            Key?: { pk?: unknown };
            RequestItems?: Record<string, { PutRequest?: { Item?: { pk?: unknown } } }[]>;
          };
          const items = input.Item
            ? [input.Item]
            : input.Key
              ? [input.Key]
              : Object.values(input.RequestItems ?? {}).flatMap((requests) =>
                  requests.map((request) => request.PutRequest?.Item ?? {}),
                );
          // The partition key, plain or marshalled depending on where marshalling ran.
          const keys = items.map(({ pk }) =>
            typeof pk === 'object' ? (pk as { S?: string }).S : pk,
          );
          writes.push(`${name} ${keys.join(',')}`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'countWrites' },
    );
    store = table.store();
  });
  afterAll(async () => close());

  it('writes no item but the feed state when a sweep finds nothing new', async () => {
    const stories: StoryAssigner = {
      assign: async (candidate) => ({
        storyId: `story-${candidate.matchId}`,
        isNew: true,
        member: { ...candidate, storyId: `story-${candidate.matchId}`, signature: '0' },
      }),
    };
    const deps = { poller, store, scorer, stories };
    const first = await ingestOne(FEED, deps);
    writes.length = 0;

    const second = await ingestOne(FEED, deps);

    expect(first.matches).toHaveLength(3);
    expect(second.newItems).toBe(0);
    expect(writes).toEqual(['BatchWriteItemCommand FEEDS']);
  });

  it("writes a poll's story members with its matches, and the summary of the story it founds", async () => {
    const feed: FeedSpec = { ...FEED, url: 'https://news.example/together.xml' };
    const together: FeedPoller = {
      poll: async (request) => ({ ...(await poller.poll(request)), items: items(6, 'together') }),
    };
    const stories: StoryAssigner = {
      assign: async (candidate) => ({
        storyId: 'together-0',
        isNew: candidate.matchId === 'together-0',
        member: { ...candidate, storyId: 'together-0', signature: '0' },
      }),
    };
    writes.length = 0;

    const result = await ingestOne(feed, { poller: together, store, scorer, stories });

    expect(result.matches).toHaveLength(3);
    const stored = writes.find((write) => write.includes('MATCH#together-0'));
    expect(stored?.split(' ')[0]).toBe('BatchWriteItemCommand');
    // Three members and the summary.
    expect(stored?.match(/STORY#together-0/g)).toHaveLength(4);
    expect(writes.filter((write) => write.startsWith('UpdateItemCommand STORY#'))).toEqual([]);
    expect((await store.storyMembers('together-0')).map((member) => member.matchId)).toEqual([
      'together-0',
      'together-2',
      'together-4',
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSweepStoryAssigner } from '#shared/alerts/story-assigner.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { Match } from '#shared/store/match-schema.ts';
import type { StorySignature } from '#shared/store/store-ports.ts';
import { MatchBatch, type MatchCandidate } from '#shared/sweep/match-batch.ts';
import type { StoryAssigner } from '#shared/sweep/story-assigner.ts';
import { unseenOf } from '../../fixtures/store/ledger-helpers.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import { openLoggedStore } from '../support/logged-store.ts';

/** Stories of one: each match is its own story, and no member is handed over. */
const ownStories: StoryAssigner = {
  assign: async (candidate) => ({ storyId: candidate.matchId, isNew: true }),
};

function candidate(id: string, keys = [`url:https://news.example/${id}`]): MatchCandidate {
  return {
    entry: { itemId: id, keys },
    build: async () =>
      aMatch({ id, facets: ['batched'], storyId: id, storedAt: new Date().toISOString() }),
  };
}

const TITLES: Record<string, string> = {
  'isolated-ok': 'Harbour authority opens a second container terminal',
  poison: 'Orchestra announces its winter season of baroque concerts',
  'isolated-later': 'Mountain rescue teams train with new thermal drones',
};

/** A candidate whose story the assigner chooses, as a sweep's are. */
function assigned(stories: StoryAssigner, id: string): MatchCandidate {
  return {
    entry: { itemId: id, keys: [`url:https://news.example/${id}`] },
    build: async () => {
      const storedAt = new Date().toISOString();
      const title = TITLES[id] ?? id;
      const { storyId } = await stories.assign({
        matchId: id,
        feed: 'Example News',
        title,
        summary: title,
        storedAt,
      });
      return aMatch({ id, title, storyId, storedAt });
    },
  };
}

const ids = (matches: Match[]) => matches.map((match) => match.id);

describe('match batch', () => {
  let close: () => Promise<void>;
  let store: DynamoDbStore;
  let requests: string[] = [];

  beforeAll(async () => {
    ({ store, requests, close } = await openLoggedStore());
  });
  afterAll(async () => close());

  it("checks and stores several polls' matches with one read and full batch writes", async () => {
    const batch = new MatchBatch(store, ownStories);
    const stored = [0, 1, 2].map((index) => batch.add([candidate(`together-${index}`)]));
    requests.length = 0;

    await batch.flush();

    expect((await Promise.all(stored)).map(ids)).toEqual([
      ['together-0'],
      ['together-1'],
      ['together-2'],
    ]);
    expect(requests).toEqual([
      'BatchGetItemCommand',
      'BatchWriteItemCommand',
      'UpdateItemCommand',
      'BatchWriteItemCommand',
    ]);
    const page = await store.listMatches({ limit: 10, facet: 'batched' });
    expect(ids(page.items).sort()).toEqual(['together-0', 'together-1', 'together-2']);
    expect(
      await unseenOf(store, [
        { itemId: 'together-1', keys: ['url:https://news.example/together-1'] },
      ]),
    ).toEqual(new Set());
  });

  it('stores an item two polls of one batch share for the first of them only', async () => {
    const batch = new MatchBatch(store, ownStories);
    const first = batch.add([candidate('shared-1', ['url:shared'])]);
    const second = batch.add([
      candidate('shared-1', ['url:shared']),
      candidate('shared-2', ['url:shared']),
      candidate('own-3'),
    ]);

    await batch.flush();

    expect(ids(await first)).toEqual(['shared-1']);
    expect(ids(await second)).toEqual(['own-3']);
    expect(await store.getMatch('shared-2')).toBeUndefined();
  });

  it('flushes by itself once enough matches wait', async () => {
    const batch = new MatchBatch(store, ownStories, 2);
    const one = batch.add([candidate('auto-1')]);
    const two = batch.add([candidate('auto-2')]);

    expect([ids(await one), ids(await two)]).toEqual([['auto-1'], ['auto-2']]);
  });

  it('stores a failed batch poll by poll, so only the poll whose write fails is rejected', async () => {
    const refusing = Object.assign(Object.create(store) as DynamoDbStore, {
      writeMatches: (matches: Match[], members: StorySignature[]) =>
        matches.some((match) => match.id === 'poison')
          ? Promise.reject(new Error('item too large'))
          : store.writeMatches(matches, members),
    });
    const stories = createSweepStoryAssigner(store);
    const batch = new MatchBatch(refusing, stories);
    const good = batch.add([assigned(stories, 'isolated-ok')]);
    const bad = batch.add([assigned(stories, 'poison')]).catch((error: Error) => error);
    const later = batch.add([assigned(stories, 'isolated-later')]);

    await batch.flush();

    expect(ids(await good)).toEqual(['isolated-ok']);
    expect(ids(await later)).toEqual(['isolated-later']);
    expect(((await bad) as Error).message).toBe('item too large');
    expect(await store.getMatch('poison')).toBeUndefined();
    expect(
      await unseenOf(store, [{ itemId: 'poison', keys: ['url:https://news.example/poison'] }]),
    ).toEqual(new Set(['poison']));
    // The refused match's story member waits for its own poll's next write, not anyone else's.
    expect(stories.takeMembers?.().map((member) => member.matchId)).toEqual(['poison']);
  });

  it('holds polls back while two flushes wait for a slow store, and lets them go once it catches up', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const slow = Object.assign(Object.create(store) as DynamoDbStore, {
      checkNewMatches: async (...args: Parameters<DynamoDbStore['checkNewMatches']>) => {
        await gate;
        return store.checkNewMatches(...args);
      },
    });
    const batch = new MatchBatch(slow, ownStories, 1);
    const stored = ['slow-1', 'slow-2'].map((id) => batch.add([candidate(id)]));
    let caughtUp = false;
    const waited = batch.caughtUp().then(() => {
      caughtUp = true;
    });

    await new Promise((resolve) => setImmediate(resolve));
    const heldBack = !caughtUp;
    open();
    await waited;

    expect(heldBack).toBe(true);
    expect((await Promise.all(stored)).map(ids)).toEqual([['slow-1'], ['slow-2']]);
  });
});

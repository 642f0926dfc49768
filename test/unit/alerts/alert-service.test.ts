import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertSettings, createAlertService } from '#shared/alerts/alert-service.ts';
import type { Match } from '#shared/store/match-schema.ts';
import {
  aMatch,
  RecordingPublisher,
  startTestStore,
  type TestStore,
} from '../../fixtures/alerts/alert-fixtures.ts';

const INSTANT: AlertSettings = { maxPerSweep: 10, maxPerHour: 30, mode: 'instant' };

/** The real store, except that one method fails the first time it is called. */
function failingOnce<T extends object>(target: T, method: keyof T & string): T {
  let failed = false;
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property !== method || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(object) : value;
      }
      return (...args: unknown[]) => {
        if (!failed) {
          failed = true;
          return Promise.reject(new Error('store unavailable'));
        }
        return value.apply(object, args);
      };
    },
  });
}

describe('createAlertService', () => {
  let db: TestStore;
  let publisher: RecordingPublisher;

  beforeEach(async () => {
    db = await startTestStore();
    publisher = new RecordingPublisher();
  });
  afterEach(async () => {
    await db.close();
  });

  function service(settings: Partial<AlertSettings> = {}) {
    return createAlertService({
      store: db.store,
      publisher,
      settings: { ...INSTANT, ...settings },
      now: db.clock.now,
      sleep: async (ms) => db.clock.advance(ms),
    });
  }
  async function stored(...matches: Match[]): Promise<Match[]> {
    for (const match of matches) {
      await db.store.storeMatches([match], [], []);
      await db.store.addStoryMember({
        storyId: match.storyId,
        matchId: match.id,
        feed: match.feed,
        title: match.title,
        link: match.link,
        signature: '',
        storedAt: match.storedAt,
      });
    }
    return matches;
  }

  it('publishes an alert-worthy match and records it as sent', async () => {
    const [match] = await stored(aMatch({ id: 'a1' }));
    const result = await service().handleNewMatches([match as Match]);
    expect(result.results).toEqual([
      { matchId: 'a1', storyId: 'a1', outcome: 'sent', messageId: 'msg-1' },
    ]);
    expect(publisher.alerts).toHaveLength(1);
    expect((await db.store.getMatch('a1'))?.alerted).toBe(true);
    expect(await db.store.claimAlert('a1', 'a1', 60)).toBe('already-sent');
  });

  it('sends one alert for two copies of one story in one batch, listing the other outlet', async () => {
    const matches = await stored(
      aMatch({ id: 'c1', storyId: 'c1', feed: 'Wire One', storedAt: '2026-11-29T05:01:00Z' }),
      aMatch({ id: 'c2', storyId: 'c1', feed: 'Daily Two', storedAt: '2026-11-29T05:02:00Z' }),
    );
    const result = await service().handleNewMatches([...matches].reverse());
    expect(publisher.alerts).toHaveLength(1);
    expect(publisher.alerts[0]?.payload.matchId).toBe('c1');
    expect(publisher.alerts[0]?.payload.alsoReportedBy.map((member) => member.feed)).toEqual([
      'Daily Two',
    ]);
    expect(result.results.map((entry) => entry.outcome)).toEqual(['duplicate-story', 'sent']);
  });

  it('does not alert a story again when a later copy or the same record arrives', async () => {
    const [first, later] = await stored(
      aMatch({ id: 's1', storyId: 's1' }),
      aMatch({ id: 's2', storyId: 's1' }),
    );
    const alerts = service();
    await alerts.handleNewMatches([first as Match]);
    const again = await alerts.handleNewMatches([first as Match, later as Match]);
    expect(again.results.map((entry) => entry.outcome)).toEqual([
      'duplicate-story',
      'duplicate-story',
    ]);
    expect(publisher.alerts).toHaveLength(1);
  });

  it('ignores matches below the alert threshold', async () => {
    const [quiet] = await stored(aMatch({ id: 'q1', alert: false }));
    const result = await service().handleNewMatches([quiet as Match]);
    expect(result.results[0]?.outcome).toBe('not-alert-worthy');
    expect(publisher.alerts).toHaveLength(0);
  });

  it('reports a failed publish, gives the story back, and a retry sends it once', async () => {
    const [match] = await stored(aMatch({ id: 'f1' }));
    publisher.failuresLeft = 1;
    const alerts = service();
    const failed = await alerts.handleNewMatches([match as Match]);
    expect(failed.failedMatchIds).toEqual(['f1']);
    expect(failed.results[0]?.error).toContain('topic unavailable');

    const retried = await alerts.handleNewMatches([match as Match]);
    expect(retried.results[0]?.outcome).toBe('sent');
    expect(publisher.alerts).toHaveLength(1);
  });

  it('waits out the lease of an attempt that died mid-alert, then sends once', async () => {
    const [match] = await stored(aMatch({ id: 'l1' }));
    expect(await db.store.claimAlert('l1', 'l1', 60)).toBe('claimed');
    const result = await service({ leaseSeconds: 60 }).handleNewMatches([match as Match]);
    expect(result.results[0]?.outcome).toBe('sent');
    expect(publisher.alerts).toHaveLength(1);
  });

  it('reports the match failed when a live lease outlasts the deadline', async () => {
    const [match] = await stored(aMatch({ id: 'l2' }));
    await db.store.claimAlert('l2', 'l2', 600);
    const result = await service({ leaseSeconds: 600 }).handleNewMatches([match as Match], {
      deadline: Date.now(),
    });
    expect(result.failedMatchIds).toEqual(['l2']);
    expect(publisher.alerts).toHaveLength(0);
  });

  it('sends at most maxPerSweep alerts and queues the rest for the digest', async () => {
    const matches = await stored(aMatch({ id: 'p1' }), aMatch({ id: 'p2' }), aMatch({ id: 'p3' }));
    const result = await service({ maxPerSweep: 2 }).handleNewMatches(matches);
    expect(result.results.map((entry) => entry.outcome)).toEqual(['sent', 'sent', 'digested']);
    expect(result.sent).toBe(2);
    expect(result.digested).toBe(1);
  });

  it('shares maxPerSweep across calls given the same sweep budget', async () => {
    const [first, second] = await stored(aMatch({ id: 'b1' }), aMatch({ id: 'b2' }));
    const alerts = service({ maxPerSweep: 1 });
    const sweepBudget = { sent: 0 };
    await alerts.handleNewMatches([first as Match], { sweepBudget });
    const next = await alerts.handleNewMatches([second as Match], { sweepBudget });
    expect(next.results[0]?.outcome).toBe('digested');
  });

  it('stops instant alerts once maxPerHour alerts went out in the last hour', async () => {
    const [first, second] = await stored(aMatch({ id: 'h1' }), aMatch({ id: 'h2' }));
    const alerts = service({ maxPerHour: 1 });
    await alerts.handleNewMatches([first as Match]);
    const capped = await alerts.handleNewMatches([second as Match]);
    expect(capped.results[0]?.outcome).toBe('digested');

    const [third] = await stored(aMatch({ id: 'h3' }));
    db.clock.advance(61 * 60_000);
    const later = await alerts.handleNewMatches([third as Match]);
    expect(later.results[0]?.outcome).toBe('sent');
  });

  it('sends every alert-worthy story to the digest in hourly mode', async () => {
    const matches = await stored(aMatch({ id: 'g1' }), aMatch({ id: 'g2' }));
    const result = await service({ mode: 'hourly' }).handleNewMatches(matches);
    expect(result.digested).toBe(2);
    expect(publisher.alerts).toHaveLength(0);
  });

  it('flushes the digest as one message with one entry per story, then marks them sent', async () => {
    const matches = await stored(
      aMatch({ id: 'x1', storyId: 'x1', score: 0.6 }),
      aMatch({ id: 'x2', storyId: 'x2', score: 0.9 }),
    );
    const alerts = service({ mode: 'daily' });
    await alerts.handleNewMatches(matches);
    const [copy] = await stored(aMatch({ id: 'x3', storyId: 'x1' }));
    await alerts.handleNewMatches([copy as Match]);

    expect(await alerts.flushDigest()).toBe(2);
    expect(publisher.digests).toHaveLength(1);
    expect(publisher.digests[0]?.payload.stories.map((story) => story.storyId)).toEqual([
      'x2',
      'x1',
    ]);
    expect(await db.store.claimAlert('x1', 'x1', 60)).toBe('already-sent');
    expect((await db.store.getMatch('x2'))?.alerted).toBe(true);
    expect(await alerts.flushDigest()).toBe(0);
  });

  it('leaves out of the digest a story that was alerted since it was queued', async () => {
    const [match] = await stored(aMatch({ id: 'y1' }));
    await service({ mode: 'hourly' }).handleNewMatches([match as Match]);
    await service().handleNewMatches([match as Match]);
    expect(await service().flushDigest()).toBe(0);
    expect(publisher.digests).toHaveLength(0);
    expect(publisher.alerts).toHaveLength(1);
  });

  it('gives the story back when a store read fails before publishing', async () => {
    const [match] = await stored(aMatch({ id: 'r1' }));
    const flaky = failingOnce(db.store, 'storyMembers');
    const alerts = createAlertService({
      store: flaky,
      publisher,
      settings: INSTANT,
      now: db.clock.now,
    });
    const first = await alerts.handleNewMatches([match as Match]);
    expect(first.failedMatchIds).toEqual(['r1']);
    expect(await db.store.claimAlert('r1', 'r1', 60)).toBe('claimed');
  });

  it('puts taken digest entries back when a store read fails mid-flush', async () => {
    const matches = await stored(aMatch({ id: 'k1' }), aMatch({ id: 'k2' }));
    await service({ mode: 'daily' }).handleNewMatches(matches);
    const flaky = failingOnce(db.store, 'getMatch');
    const alerts = createAlertService({
      store: flaky,
      publisher,
      settings: { ...INSTANT, mode: 'daily' },
      now: db.clock.now,
    });
    await expect(alerts.flushDigest()).rejects.toThrow('store unavailable');
    expect(await alerts.flushDigest()).toBe(2);
    expect(publisher.digests).toHaveLength(1);
  });

  it('keeps the digest queued when publishing it fails', async () => {
    const [match] = await stored(aMatch({ id: 'z1' }));
    const alerts = service({ mode: 'hourly' });
    await alerts.handleNewMatches([match as Match]);
    publisher.failuresLeft = 1;
    await expect(alerts.flushDigest()).rejects.toThrow('topic unavailable');
    expect(await alerts.flushDigest()).toBe(1);
    expect(publisher.digests).toHaveLength(1);
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const BASE = Date.parse(`${new Date().toISOString().slice(0, 13)}:00:00.000Z`);

describe.each(BACKENDS)('alert ledger and digest queue on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let clock: number;
  let store: DynamoDbStore;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    clock = BASE;
    store = table.store({ now: () => new Date(clock) });
  });
  afterAll(async () => close());

  it('gives the lease of a story to the first claimer', async () => {
    expect(await store.claimAlert('first', 'm1', 60)).toBe('claimed');
  });

  it('tells a second claimer that the alert is in flight while the lease lasts', async () => {
    await store.claimAlert('busy', 'm1', 60);

    expect(await store.claimAlert('busy', 'm2', 60)).toBe('in-flight');
  });

  it('lets a claimer retake a lease that expired', async () => {
    await store.claimAlert('stale', 'm1', 60);
    clock += 61_000;

    expect(await store.claimAlert('stale', 'm1', 60)).toBe('claimed');
  });

  it('answers already-sent once the alert went out', async () => {
    await store.claimAlert('sent', 'm1', 60);
    await store.markAlertSent('sent', 'm1', new Date(clock).toISOString(), 'message-1');
    clock += 120_000;

    expect(await store.claimAlert('sent', 'm2', 60)).toBe('already-sent');
  });

  it('lets a retry claim a lease that was released after a failed publish', async () => {
    await store.claimAlert('released', 'm1', 600);
    await store.releaseAlert('released');

    expect(await store.claimAlert('released', 'm1', 600)).toBe('claimed');
  });

  it('releases only its own lease, never one retaken after it expired', async () => {
    const slow = table.store({ now: () => new Date(clock) });
    const retry = table.store({ now: () => new Date(clock) });
    await slow.claimAlert('overtaken', 'm1', 60);
    clock += 61_000;
    await retry.claimAlert('overtaken', 'm1', 60);

    await slow.releaseAlert('overtaken');

    expect(await store.claimAlert('overtaken', 'm1', 60)).toBe('in-flight');
  });

  it('keeps a sent alert sent when it is released afterwards', async () => {
    await store.claimAlert('sent-then-released', 'm1', 60);
    await store.markAlertSent('sent-then-released', 'm1', new Date(clock).toISOString());
    await store.releaseAlert('sent-then-released');

    expect(await store.claimAlert('sent-then-released', 'm1', 60)).toBe('already-sent');
  });

  it('counts alerts sent since a time, each story once however often it is marked', async () => {
    const counter = table.store({ now: () => new Date(BASE + 3 * 86_400_000) });
    const day = (days: number, minutes = 0) =>
      new Date(BASE + days * 86_400_000 + minutes * 60_000).toISOString();
    await counter.markAlertSent('count-a', 'm', day(1));
    await counter.markAlertSent('count-b', 'm', day(2));
    await counter.markAlertSent('count-b', 'm', day(2, 30));
    await counter.markAlertSent('count-c', 'm', day(2, 45));

    expect(await counter.countAlertsSince(day(1, 1))).toBe(2);
    expect(await counter.countAlertsSince(day(0, 30))).toBe(3);
  });

  it('lets exactly one of several racing claimers take a lease', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 8 }), fc.uuid(), async (claimers, storyId) => {
        const outcomes = await Promise.all(
          Array.from({ length: claimers }, (_, index) =>
            table.store().claimAlert(storyId, `m${index}`, 300),
          ),
        );
        expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === 'in-flight')).toHaveLength(claimers - 1);
      }),
      { numRuns: 10 },
    );
  });

  it('reads queued digest entries oldest first, page by page, without removing them', async () => {
    await store.removeDigest(await store.readDigest(100));
    const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
    await store.enqueueDigest({ storyId: 's2', matchId: 'm2', queuedAt: at(2) });
    await store.enqueueDigest({ storyId: 's1', matchId: 'm1', queuedAt: at(1) });
    await store.enqueueDigest({ storyId: 's3', matchId: 'm3', queuedAt: at(3) });

    const first = await store.readDigest(2);
    const rest = await store.readDigest(10, first.at(-1));

    expect(first.map((entry) => entry.storyId)).toEqual(['s1', 's2']);
    expect(rest.map((entry) => entry.storyId)).toEqual(['s3']);
    expect(await store.readDigest(10)).toHaveLength(3);
  });

  it('removes only the digest entries it is given', async () => {
    await store.removeDigest(await store.readDigest(100));
    const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
    const kept = { storyId: 'kept', matchId: 'm1', queuedAt: at(1) };
    const sent = { storyId: 'sent', matchId: 'm2', queuedAt: at(2) };
    await store.enqueueDigest(kept);
    await store.enqueueDigest(sent);

    await store.removeDigest([sent]);
    await store.removeDigest([sent]);

    expect(await store.readDigest(10)).toEqual([kept]);
  });

  it('stores an entry queued twice once', async () => {
    await store.removeDigest(await store.readDigest(100));
    const entry = { storyId: 'twice', matchId: 'm', queuedAt: new Date(BASE).toISOString() };
    await store.enqueueDigest(entry);
    await store.enqueueDigest(entry);

    expect(await store.readDigest(10)).toEqual([entry]);
  });
});

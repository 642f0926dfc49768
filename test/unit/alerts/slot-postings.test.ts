import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotPostings } from '#shared/alerts/slot-postings.ts';
import { SIGNATURE_SLOTS } from '#shared/alerts/story-clusterer.ts';

/** For each member, how many slots it shares with `query`, counted directly. */
function sharedSlots(members: Map<string, Uint32Array>, query: Uint32Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [name, slots] of members) {
    let same = 0;
    for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) if (slots[slot] === query[slot]) same++;
    if (same > 0) counts.set(name, same);
  }
  return counts;
}

// Few distinct values, so members share keys, and large ones too, so keys collide in the table.
const slotValue = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: 0xffff }),
  fc.integer({ min: 0x10000, max: 0xffffffff }),
);
const signature = fc
  .array(slotValue, { minLength: SIGNATURE_SLOTS, maxLength: SIGNATURE_SLOTS })
  .map((values) => Uint32Array.from(values));

describe('SlotPostings', () => {
  it('finds exactly the members sharing each slot value, through adds and removes', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), slots: signature }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('query' as const), slots: signature }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const postings = new SlotPostings<string>();
        const members = new Map<string, Uint32Array>();
        const ids = new Map<string, number>();
        let added = 0;
        for (const next of operations) {
          if (next.kind === 'add') {
            const name = `member-${added++}`;
            members.set(name, next.slots);
            ids.set(name, postings.add(name, next.slots));
          } else if (next.kind === 'remove' && members.size > 0) {
            const name = [...members.keys()][next.pick % members.size] as string;
            postings.remove(ids.get(name) as number, members.get(name) as Uint32Array);
            members.delete(name);
          } else if (next.kind === 'query') {
            const counts = new Map<string, number>();
            postings.visitSharing(next.slots, (name) => {
              counts.set(name, (counts.get(name) ?? 0) + 1);
            });
            expect(counts).toEqual(sharedSlots(members, next.slots));
            // Each member also finds itself in every slot.
            for (const [name, slots] of members) {
              let self = 0;
              postings.visitSharing(slots, (found) => {
                if (found === name) self++;
              });
              expect(self).toBe(SIGNATURE_SLOTS);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

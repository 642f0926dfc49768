import { describe, expect, it } from 'vitest';
import {
  itemDigest,
  MAX_SEEN_ITEMS,
  recordSeen,
  seenDigests,
} from '#shared/sweep/feed-seen-items.ts';

const hexId = (index: number) => `${index.toString(16).padStart(12, '0')}${'0'.repeat(20)}`;

describe('feed seen items', () => {
  it('gives every item id a digest of eight URL-safe characters', () => {
    expect(itemDigest('0123456789abcdef0123456789abcdef')).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(itemDigest('not-a-hash')).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  it('gives different ids different digests and the same id the same digest', () => {
    const digests = new Set(Array.from({ length: 5000 }, (_, index) => itemDigest(hexId(index))));

    expect(digests.size).toBe(5000);
    expect(itemDigest('item-1')).toBe(itemDigest('item-1'));
    expect(itemDigest('item-1')).not.toBe(itemDigest('item-2'));
  });

  it('reads back the digests it recorded', () => {
    const digests = ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'];

    expect(seenDigests(recordSeen(undefined, digests))).toEqual(new Set(digests));
  });

  it('reads an absent or malformed record as nothing seen', () => {
    expect(seenDigests(undefined).size).toBe(0);
    expect(seenDigests('').size).toBe(0);
    expect(seenDigests('abc').size).toBe(0);
  });

  it('keeps items that left the document, newest first, up to twice the document', () => {
    const older = Array.from({ length: 150 }, (_, index) => itemDigest(hexId(index)));
    const current = Array.from({ length: 60 }, (_, index) => itemDigest(hexId(1000 + index)));

    const kept = [...seenDigests(recordSeen(recordSeen(undefined, older), current))];

    expect(kept).toHaveLength(120);
    expect(kept.slice(0, 60)).toEqual(current);
    expect(kept.slice(60)).toEqual(older.slice(0, 60));
  });

  it('sizes the record by the whole document when some of its items are left out', () => {
    const older = Array.from({ length: 150 }, (_, index) => itemDigest(hexId(index)));
    const changed = [itemDigest(hexId(1000))];

    const kept = [...seenDigests(recordSeen(recordSeen(undefined, older), changed, 70))];

    expect(kept).toHaveLength(140);
    expect(kept[0]).toBe(changed[0]);
  });

  it('keeps at least a hundred earlier items for a small document', () => {
    const older = Array.from({ length: 150 }, (_, index) => itemDigest(hexId(index)));

    expect(seenDigests(recordSeen(recordSeen(undefined, older), [])).size).toBe(100);
  });

  it('never keeps more than the cap, however large the document', () => {
    const huge = Array.from({ length: 1000 }, (_, index) => itemDigest(hexId(index)));

    expect(seenDigests(recordSeen(undefined, huge)).size).toBe(MAX_SEEN_ITEMS);
  });
});

import { describe, expect, it } from 'vitest';
import {
  canonicalIso,
  dayBucketsSince,
  daysDescending,
  expiryAfter,
  idOfTimeSortKey,
  KEY,
  liveMonths,
  timeSortKey,
} from '#shared/store/dynamodb-keys.ts';

describe('dynamodb keys', () => {
  it('normalizes dates with offsets to UTC with milliseconds', () => {
    expect(canonicalIso('2026-03-01T02:00:00+02:00')).toBe('2026-03-01T00:00:00.000Z');
  });

  it('refuses a string that is not a date', () => {
    expect(() => canonicalIso('yesterday')).toThrow(/not an ISO 8601 date/);
  });

  it('sorts time sort keys in time order whatever the offset they came with', () => {
    const earlier = timeSortKey('2026-03-01T01:30:00+02:00', 'b');
    const later = timeSortKey('2026-03-01T00:00:00Z', 'a');

    expect(earlier < later).toBe(true);
  });

  it('recovers the id from a time sort key, even an id with #', () => {
    expect(idOfTimeSortKey(timeSortKey('2026-03-01T00:00:00Z', 'x#y'))).toBe('x#y');
  });

  it('walks days newest first, both ends included', () => {
    expect(daysDescending('2026-03-02T10:00:00Z', '2026-02-27T23:00:00Z')).toEqual([
      '2026-03-02',
      '2026-03-01',
      '2026-02-28',
      '2026-02-27',
    ]);
  });

  it('walks the day buckets of a since query from today back to since', () => {
    const now = new Date('2026-03-02T10:00:00Z');

    expect(dayBucketsSince(now, '2026-03-01T12:00:00Z')).toEqual(['2026-03-02', '2026-03-01']);
  });

  it('looks into tomorrow just before midnight, for writers whose clocks run ahead', () => {
    const now = new Date('2026-03-02T23:58:00Z');

    expect(dayBucketsSince(now, '2026-03-02T00:00:00Z')).toEqual(['2026-03-03', '2026-03-02']);
  });

  it('walks a week past since when the caller asks about a time after its now', () => {
    const now = new Date('2026-03-02T10:00:00Z');

    expect(dayBucketsSince(now, '2026-04-01T00:00:00Z')).toHaveLength(8);
  });

  it('walks the months from now back to the oldest the retention keeps, across a year end', () => {
    const now = new Date('2026-02-10T10:00:00Z');

    expect(liveMonths(now, 90, '0000-00', '9999-99', undefined)).toEqual([
      '2026-02',
      '2026-01',
      '2025-12',
      '2025-11',
    ]);
  });

  it('walks only the months of the query that can hold live matches', () => {
    const now = new Date('2026-06-10T10:00:00Z');

    expect(liveMonths(now, 365, '2026-03', '2026-04', undefined)).toEqual(['2026-04', '2026-03']);
    expect(liveMonths(now, 30, '2026-01', '2026-12', undefined)).toEqual(['2026-06', '2026-05']);
    expect(liveMonths(now, 30, '2026-01', '2026-03', undefined)).toEqual([]);
  });

  it('walks no month before the earliest a match was stored in', () => {
    const now = new Date('2026-06-10T10:00:00Z');

    expect(liveMonths(now, 365, '0000-00', '9999-99', '2026-04')).toEqual([
      '2026-06',
      '2026-05',
      '2026-04',
    ]);
    expect(liveMonths(now, 365, '2026-05', '9999-99', '2026-04')).toEqual(['2026-06', '2026-05']);
    expect(liveMonths(now, 30, '0000-00', '9999-99', '2025-01')).toEqual(['2026-06', '2026-05']);
    expect(liveMonths(now, 365, '0000-00', '9999-99', '2026-07')).toEqual([]);
  });

  it('looks into next month just before its start, for writers whose clocks run ahead', () => {
    const now = new Date('2026-03-31T23:58:00Z');

    expect(liveMonths(now, 1, '0000-00', '9999-99', undefined)).toEqual(['2026-04', '2026-03']);
  });

  it('computes the TTL in epoch seconds', () => {
    expect(expiryAfter('1970-01-01T00:00:10Z', 2)).toBe(10 + 2 * 86_400);
  });

  it('keeps ledger partition keys short however long the dedupe key', () => {
    expect(KEY.seen(`https://x/${'a'.repeat(5000)}`).pk.length).toBeLessThan(60);
  });
});

import { describe, expect, it } from 'vitest';
import { CursorCodec, queryFingerprint } from '#shared/store/match-cursor.ts';
import { InvalidCursorError } from '#shared/store/store-errors.ts';

const POSITION = { index: 'time', month: '2026-10', after: '2026-10-03T04:05:06.007Z#abc' };
const FINGERPRINT = queryFingerprint(['time', undefined, undefined]);

describe('CursorCodec', () => {
  it('decodes the position it encoded', () => {
    const codec = new CursorCodec('secret');

    expect(codec.decode(codec.encode(POSITION, FINGERPRINT), FINGERPRINT)).toEqual(POSITION);
  });

  it('produces a URL-safe cursor', () => {
    const cursor = new CursorCodec('secret').encode(POSITION, FINGERPRINT);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('rejects a cursor whose signature was cut off', () => {
    const codec = new CursorCodec('secret');
    const [payload] = codec.encode(POSITION, FINGERPRINT).split('.');

    expect(() => codec.decode(payload ?? '', FINGERPRINT)).toThrow(InvalidCursorError);
  });

  it('rejects a cursor made for another query', () => {
    const codec = new CursorCodec();
    const cursor = codec.encode(POSITION, FINGERPRINT);

    expect(() => codec.decode(cursor, queryFingerprint(['facet', 'x']))).toThrow(/other filters/);
  });

  it('rejects a payload with unexpected fields', () => {
    const forged = Buffer.from(
      JSON.stringify({ v: 1, x: 'time', m: '2026-10', h: FINGERPRINT, extra: true }),
    ).toString('base64url');

    expect(() => new CursorCodec().decode(forged, FINGERPRINT)).toThrow(/unexpected content/);
  });

  it('rejects a position that is not a time sort key', () => {
    const forged = Buffer.from(
      JSON.stringify({ v: 1, x: 'time', m: '2026-10', a: 'MATCH#x', h: FINGERPRINT }),
    ).toString('base64url');

    expect(() => new CursorCodec().decode(forged, FINGERPRINT)).toThrow(InvalidCursorError);
  });

  it.each([
    ['a month that does not exist', { m: '2026-13' }],
    ['an instant that is not canonical', { a: '2026-10-03T04:05:06.007+00:00#abc' }],
    ['an instant that does not exist', { a: '2026-02-30T04:05:06.007Z#abc' }],
    ['an id over 512 bytes', { a: `2026-10-03T04:05:06.007Z#${'é'.repeat(257)}` }],
    ['an id with a lone surrogate', { a: '2026-10-03T04:05:06.007Z#ab\udc00' }],
    ['a position of the wrong type', { a: 1 }],
  ])('rejects a position with %s', (_, change) => {
    const forged = Buffer.from(
      JSON.stringify({ v: 1, x: 'time', m: '2026-10', h: FINGERPRINT, ...change }),
    ).toString('base64url');

    expect(() => new CursorCodec().decode(forged, FINGERPRINT)).toThrow(/unexpected content/);
  });

  it('accepts an id of 512 bytes, paired surrogates included', () => {
    const after = `2026-10-03T04:05:06.007Z#${'😀'.repeat(127)}abcd`;
    const codec = new CursorCodec();

    expect(codec.decode(codec.encode({ ...POSITION, after }, FINGERPRINT), FINGERPRINT).after).toBe(
      after,
    );
  });

  it('rejects an oversized cursor before decoding it', () => {
    expect(() => new CursorCodec().decode('a'.repeat(5000), FINGERPRINT)).toThrow(/length/);
  });

  it('rejects text that is not base64url JSON', () => {
    expect(() => new CursorCodec().decode('%%%', FINGERPRINT)).toThrow(InvalidCursorError);
  });
});

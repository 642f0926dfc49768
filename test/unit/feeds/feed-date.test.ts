import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '#shared/feeds/feed-date.ts';

describe('parseFeedDate', () => {
  it.each([
    ['Mon, 06 May 2024 10:00:00 GMT', '2024-05-06T10:00:00.000Z'],
    ['Mon, 06 May 2024 10:00:00 +0200', '2024-05-06T08:00:00.000Z'],
    ['6 May 2024 10:00 EDT', '2024-05-06T14:00:00.000Z'],
    ['03 Apr 02 1500 GMT', '2002-04-03T15:00:00.000Z'],
    ['2024-05-06T10:00:00Z', '2024-05-06T10:00:00.000Z'],
    ['2024-05-06T10:00:00.123+05:30', '2024-05-06T04:30:00.000Z'],
    ['2024-05-06', '2024-05-06T00:00:00.000Z'],
    ['Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
    ['1518478934', '2018-02-12T23:42:14.000Z'],
    ['May 6, 2024 10:00:00', '2024-05-06T10:00:00.000Z'],
  ])('reads %s', (raw, iso) => {
    expect(parseFeedDate(raw)?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', 'Mon, 32 Foo 2024', '2024-13-45T99:00:00Z', 'x'.repeat(500)])(
    'returns undefined for %s',
    (raw) => {
      expect(parseFeedDate(raw)).toBeUndefined();
    },
  );
});

const pair = (max: number) =>
  fc.integer({ min: 0, max }).map((value) => String(value).padStart(2, '0'));
const commonDate = fc
  .tuple(
    fc.constantFrom('Sun', 'Mon', 'Dom', 'Xyz'),
    pair(39),
    fc.constantFrom('Jan', 'Nov', 'NOV', 'nov', 'Dez', 'Set', 'Foo'),
    fc.integer({ min: 1000, max: 9999 }),
    pair(29),
    pair(69),
    pair(69),
    fc.constantFrom('GMT', 'UTC', 'EST', 'CES', 'XYZ', '+0000', '-0330', '+1400'),
  )
  .map(
    ([weekday, day, month, year, hour, minute, second, zone]) =>
      `${weekday}, ${day} ${month} ${year} ${hour}:${minute}:${second} ${zone}`,
  );

describe('parseFeedDate on the common RSS form', () => {
  it('reads it exactly as it reads the same date spaced differently', () => {
    fc.assert(
      fc.property(commonDate, (raw) => {
        const general = parseFeedDate(raw.replace(', ', ',  '));

        expect(parseFeedDate(raw)?.getTime()).toBe(general?.getTime());
      }),
      { numRuns: 3000 },
    );
  });
});

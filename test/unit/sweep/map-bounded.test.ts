import { describe, expect, it } from 'vitest';
import { mapBounded } from '#shared/sweep/map-bounded.ts';

describe('mapBounded', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let inFlight = 0;
    let peak = 0;

    const results = await mapBounded([5, 1, 4, 2, 3], 2, async (value) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, value));
      inFlight--;
      return value * 10;
    });

    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('returns an empty list for no inputs', async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});

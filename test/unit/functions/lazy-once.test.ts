import { describe, expect, it } from 'vitest';
import { lazyOnce } from '#functions/lazy-once.ts';

describe('lazyOnce', () => {
  it('loads once and hands every caller, concurrent ones included, the same value', async () => {
    let loads = 0;
    const value = lazyOnce(async () => ({ load: ++loads }));

    const [first, second] = await Promise.all([value(), value()]);
    const third = await value();

    expect(loads).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('forgets a failed load, so the next call tries again and keeps what succeeds', async () => {
    let loads = 0;
    const value = lazyOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error('seeds unreadable');
      return `profile ${loads}`;
    });

    await expect(value()).rejects.toThrow('seeds unreadable');
    expect(await value()).toBe('profile 2');
    expect(await value()).toBe('profile 2');
    expect(loads).toBe(2);
  });
});

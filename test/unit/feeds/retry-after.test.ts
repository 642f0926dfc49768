import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '#shared/feeds/fetch-feed.ts';

const now = new Date('2024-05-06T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
  });

  it('reads an HTTP date as seconds from now', () => {
    expect(parseRetryAfter('Mon, 06 May 2024 10:05:00 GMT', now)).toBe(300);
  });

  it('never returns a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Mon, 06 May 2024 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

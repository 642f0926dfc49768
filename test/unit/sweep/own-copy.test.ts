import { describe, expect, it } from 'vitest';
import { ownCopy } from '#shared/sweep/own-copy.ts';

describe('ownCopy', () => {
  it('gives back the same text, whatever its characters', () => {
    const document = `<title>Gipfel in Peking – 习近平 trifft Путин</title>${'x'.repeat(10_000)}`;
    const title = document.slice(7, 44);

    expect(ownCopy(title)).toBe(title);
    expect(ownCopy('')).toBe('');
  });

  it('passes an absent text through', () => {
    expect(ownCopy(undefined)).toBeUndefined();
  });
});

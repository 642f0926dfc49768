import { describe, expect, it } from 'vitest';
import { wordTokens } from '#shared/profile/text-tokens.ts';

describe('wordTokens', () => {
  it('lowercases words and splits on punctuation, apostrophes and typographic quotes', () => {
    expect(wordTokens("Russia's “bond” with China—record-high G20 trade")).toEqual([
      'russia',
      's',
      'bond',
      'with',
      'china',
      'record',
      'high',
      'g20',
      'trade',
    ]);
  });

  it('keeps letters beyond ASCII inside words', () => {
    expect(wordTokens('Zürich café Törnqvist')).toEqual(['zürich', 'café', 'törnqvist']);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, fieldToText } from '#shared/feeds/text-clean.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the reference removes control characters.
const REFERENCE_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;

/** The plain definition cleanText must keep meaning: remove controls, collapse ASCII space, trim. */
function referenceClean(text: string): string {
  return text
    .replace(REFERENCE_CONTROLS, '')
    .replace(/[ \t\r\n\f]+/g, ' ')
    .trim();
}

// Characters around every edge the fast path checks: spaces, controls, non-ASCII spaces, U+FFFE.
const tricky = fc.constantFrom(
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\u000B',
  '\u0000',
  '\u007F',
  '\u0085',
  '\u009F',
  '\u00A0',
  '\u2003',
  '\u2028',
  '\u3000',
  '\uFEFF',
  '\uFFFE',
  '\uFFFF',
  'a',
  'é',
  'Ж',
  '<',
  '&amp;',
);
const mixedText = fc
  .array(fc.oneof(tricky, fc.string({ maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('cleanText', () => {
  it('gives what removing controls, collapsing ASCII white space and trimming gives', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(cleanText(text)).toBe(referenceClean(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns text that is already clean unchanged', () => {
    const text = 'Talks resume in Geneva\u00A0today — officials say “progress”';
    expect(cleanText(text)).toBe(text);
  });

  it('trims a trailing no-break space that follows an ASCII space', () => {
    expect(cleanText('headline \u00A0')).toBe('headline');
  });
});

describe('fieldToText', () => {
  it('treats text without a `<` like cleanText does', () => {
    fc.assert(
      fc.property(
        mixedText.filter((text) => !text.includes('<')),
        (text) => {
          expect(fieldToText(text)).toBe(referenceClean(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capLength,
  cleanText,
  fieldToText,
  htmlToText,
  terminalText,
} from '#shared/feeds/text-clean.ts';

const FORMAT_ONLY = /^(?![\u200C\u200D])[\p{Cf}\p{Cs}\uFFFE\uFFFF]$/u;
const joinable = (char: string): boolean =>
  char.charCodeAt(0) > 0x7f && /[\p{L}\p{M}\p{S}]/u.test(char);

/**
 * The plain definition cleanText must keep meaning, written as one regex step per rule: terminal
 * escape sequences, then controls (white space ones as a space), format characters but joiners
 * between non-ASCII letters or symbols, lone surrogates, U+FFFE/U+FFFF; collapse ASCII spaces,
 * trim, and put a space after any `<` a browser could read as the start of markup.
 */
function referenceClean(text: string): string {
  return text
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the reference removes control sequences.
      /(?:\u001B\[|\u009B)[0-?]*[ -/]*[@-~]?|(?:\u001B[\]PX^_]|[\u0090\u0098\u009D-\u009F])[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)?|\u001B[ -/]*[0-~]?/g,
      '',
    )
    .replace(/[\t\r\n]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(/[\s\S]/gu, (char) => (FORMAT_ONLY.test(char) ? '' : char))
    .replace(/[\u200C\u200D]+/gu, (run, offset: number, whole: string) => {
      const before = [...whole.slice(0, offset)].at(-1) ?? '';
      const after = [...whole.slice(offset + run.length)][0] ?? '';
      return run.length === 1 && joinable(before) && joinable(after) ? run : '';
    })
    .replace(/ +/g, ' ')
    .trim()
    .replace(/<([\p{L}/!?])/gu, '< $1');
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
  '\u001B',
  '\u001B]0;owned\u0007',
  '\u001B[31m',
  '\u009B2J',
  '\u202E',
  '\u2066',
  '\u00AD',
  '\u200B',
  '\u200C',
  '\u200D',
  '\uD800',
  '\uDC00',
  '\u{E0041}',
  '\u{1F469}',
  '\u{1F3FD}',
  'ک',
  'क्',
  '<a',
  '</',
  '<!',
  '<?',
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

/** Anything a browser could take for the start of a tag, comment or processing instruction. */
const MARKUP_START = /<[\p{L}/!?]/u;

// Pieces of hostile markup, so random strings hit tag openers, quotes, entities and comments.
const markupPiece = fc.constantFrom(
  '<',
  '>',
  '/',
  '!',
  '?',
  '"',
  "'",
  '=',
  ' ',
  '\n',
  '<img/src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<a\nhref="javascript:alert(1)">',
  '<script>',
  '</script>',
  '<script',
  '<style>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<!DOCTYPE html>',
  '<?xml ?>',
  '&lt;',
  '&gt;',
  '&lt;img src=x onerror=alert(1)&gt;',
  '&#60;',
  '&#x3C;',
  '&amp;',
  '<<',
  '<b>',
  '</b>',
  '<p',
  'img',
  'a',
  '\u202E',
  '\u200B',
  '\u001B',
);
const hostileMarkup = fc
  .array(fc.oneof(markupPiece, fc.string({ maxLength: 3 })), { maxLength: 16 })
  .map((parts) => parts.join(''));

describe('markup in feed text', () => {
  it.each([
    ['<img/src=x onerror=alert(1)>', ''],
    ['before <svg/onload=alert(1)> after', 'before after'],
    ['<a\nhref="x">link</a>', 'link'],
    ['text <script>alert(1)', 'text'],
    ['text <script', 'text'],
    ['<p>&lt;img src=x onerror=alert(1)&gt; kept</p>', 'kept'],
    ['<b>bold</b><i>nested <b>tags</i></b>', 'boldnested tags'],
    ['<p>one<!-- <img src=x> --></p>two', 'one two'],
    ['<p><![CDATA[inside]]></p>', 'inside'],
    ['<a title="x>y" href=z>quoted</a>', 'quoted'],
    ['<div>a<b then</div>', 'a'],
  ])('leaves no markup in %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it.each([
    ['<img/src=x onerror=alert(1)>', ''],
    ['Price <3 & a < b', 'Price <3 & a < b'],
    ['3<5 and 5>3', '3<5 and 5>3'],
    ['if a<b then', 'if a< b then'],
    ['<!-- an unclosed comment hides the rest', ''],
    ['x </ y', 'x < / y'],
  ])('reads %j in a plain field as %j', (value, text) => {
    expect(fieldToText(value)).toBe(text);
  });

  it('lets nothing that can start markup through, whatever the field holds', () => {
    fc.assert(
      fc.property(hostileMarkup, (text) => {
        for (const clean of [fieldToText(text), htmlToText(text), cleanText(text)]) {
          expect(clean).not.toMatch(MARKUP_START);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('invisible and control characters', () => {
  it('removes terminal escape sequences whole', () => {
    expect(cleanText('\u001B]0;owned\u0007Real \u001B[2J\u001B[31mnews\u001B[0m\u001Bc')).toBe(
      'Real news',
    );
  });

  it('removes bidi overrides, zero-width characters and tag characters', () => {
    expect(cleanText('evil\u202Etxt.exe \u2066x\u2069 Reu\u200Bters\u{E0041}')).toBe(
      'eviltxt.exe x Reuters',
    );
  });

  it('keeps joiners inside emoji sequences and Persian words, not inside Latin words', () => {
    const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}';
    const persian = 'می\u200Cخواهم';
    const devanagari = 'क्\u200Dष';
    expect(cleanText(`${family} ${persian} ${devanagari}`)).toBe(
      `${family} ${persian} ${devanagari}`,
    );
    expect(cleanText('Reu\u200Dters \u200Cnews\u200D')).toBe('Reuters news');
  });

  it('removes lone surrogates and keeps pairs', () => {
    expect(cleanText('a\uD800b\uDC00c \u{1F600}')).toBe('abc \u{1F600}');
  });

  it('keeps line breaks and tabs for the terminal, nothing else invisible', () => {
    expect(terminalText('one\r\n\ttwo\u001B]2;title\u0007 \u202Ethree\u0007')).toBe(
      'one\n\ttwo three',
    );
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `${'a'.repeat(8)}\u{1F600}${'b'.repeat(8)}`;
    const cut = capLength(text, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(cut).not.toMatch(/\p{Cs}/u);
  });
});

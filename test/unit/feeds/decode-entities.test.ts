import { decodeHTMLStrict } from 'entities';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities } from '#shared/feeds/lenient-xml.ts';

/** The plain definition: XHTML 1.0 lang/rang, then the strict HTML decoder for everything. */
function referenceDecode(text: string): string {
  return decodeHTMLStrict(
    text.replace(/&(lang|rang);/g, (_, name: string) => (name === 'lang' ? '\u2329' : '\u232A')),
  );
}

const fragment = fc.constantFrom(
  '&',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
  '&amp',
  '&lt',
  '&ampx;',
  '&nbsp;',
  '&eacute;',
  '&lang;',
  '&rang;',
  '&unknownname;',
  '&#',
  '&#60;',
  '&#060;',
  '&#x3C;',
  '&#X3c;',
  '&#x;',
  '&#0;',
  '&#128;',
  '&#150;',
  '&#x9F;',
  '&#55296;',
  '&#xD800;',
  '&#1114111;',
  '&#1114112;',
  '&#99999999;',
  '&#8217;',
  '&#x1F600;',
  '&#9',
  '&1;',
  '& ',
  '#',
  'x',
  ';',
  '3C',
  'lt',
  'amp',
  ' ',
  'a',
  'é',
  '<p>',
);
const entityText = fc
  .array(fc.oneof(fragment, fc.string({ maxLength: 3 })), { maxLength: 10 })
  .map((parts) => parts.join(''));

describe('decodeEntities', () => {
  it('decodes exactly as the strict HTML decoder with the XHTML 1.0 lang and rang', () => {
    fc.assert(
      fc.property(entityText, (text) => {
        expect(decodeEntities(text)).toBe(referenceDecode(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes escaped markup and numeric references', () => {
    expect(decodeEntities('&lt;p&gt;Tom &amp; Jerry&#8217;s &#x201C;show&#x201D;&lt;/p&gt;')).toBe(
      '<p>Tom & Jerry’s “show”</p>',
    );
  });

  it('keeps a bare ampersand and an unknown entity as written', () => {
    expect(decodeEntities('AT&T &bogus; R&D')).toBe('AT&T &bogus; R&D');
  });
});

import { describe, expect, it } from 'vitest';
import type { FeedError } from '#shared/feeds/feed-error.ts';
import { parseLenientXml, textContent } from '#shared/feeds/lenient-xml.ts';

const parse = (text: string) => parseLenientXml(text, { maxDepth: 50 });
const rootText = (text: string): string => {
  const root = parse(text).roots[0];
  if (!root) throw new Error('no root');
  return textContent(root);
};

describe('parseLenientXml', () => {
  it('keeps a bare ampersand as text', () => {
    expect(rootText('<t>Fish & Chips</t>')).toBe('Fish & Chips');
  });

  it('decodes HTML named entities that no DTD declares', () => {
    expect(rootText('<t>a&nbsp;b&hellip;&mdash;&eacute;</t>')).toBe('a\u00a0b…—é');
  });

  it('keeps an undefined entity as written', () => {
    expect(rootText('<t>&bogus; stays</t>')).toBe('&bogus; stays');
  });

  it('keeps CDATA verbatim', () => {
    expect(rootText('<t><![CDATA[<b>&amp;</b>]]></t>')).toBe('<b>&amp;</b>');
  });

  it('skips a DOCTYPE with an internal subset without expanding its entities', () => {
    expect(rootText('<!DOCTYPE t [<!ENTITY e "expanded">]><t>&e;</t>')).toBe('&e;');
  });

  it('accepts comments and white space before the declaration', () => {
    const document = parse('\n\n<!-- server said hi --><?xml version="1.0"?><rss><channel/></rss>');

    expect(document.roots.map((root) => root.local)).toEqual(['rss']);
  });

  it('resolves namespace prefixes, declared or well known', () => {
    const root = parse('<r xmlns:x="urn:x"><x:a/><dc:date/></r>').roots[0];
    const [declared, wellKnown] = (root?.children ?? []) as { ns: string }[];

    expect(declared?.ns).toBe('urn:x');
    expect(wellKnown?.ns).toBe('http://purl.org/dc/elements/1.1/');
  });

  it('closes elements left open by a stray end tag', () => {
    expect(rootText('<t><a>one<b>two</a>three</t>')).toBe('onetwothree');
  });

  it('marks a truncated document as incomplete', () => {
    const document = parse('<rss><channel><item><title>cut');

    expect(document.complete).toBe(false);
    expect(document.roots[0]?.incomplete).toBe(true);
  });

  it('fails nesting beyond the limit with TOO_DEEP instead of overflowing the stack', () => {
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;

    expect(() => parse(deep)).toThrowError(
      expect.objectContaining({ code: 'TOO_DEEP' }) as FeedError,
    );
  });

  it('keeps a lone less-than sign as text', () => {
    expect(rootText('<t>1 < 2</t>')).toBe('1 < 2');
  });
});

describe('entity decoding in links', () => {
  it('leaves query parameters that look like entities without a semicolon alone', () => {
    expect(rootText('<link>https://example.org/?a=1&copy=2&reg=3</link>')).toBe(
      'https://example.org/?a=1&copy=2&reg=3',
    );
  });

  it('leaves attribute values with entity-like parameters alone', () => {
    const root = parse('<link href="https://example.org/?x=1&not=2&amp;y=3"/>').roots[0];

    expect(root?.attrs.href).toBe('https://example.org/?x=1&not=2&y=3');
  });
});

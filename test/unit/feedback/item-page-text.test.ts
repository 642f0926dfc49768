import { describe, expect, it } from 'vitest';
import { pageText } from '#shared/feedback/item-page-text.ts';

describe('pageText', () => {
  it('prefers Open Graph, then Twitter, then <title>, whatever the attribute order', () => {
    const html = `<head><title>Plain | Site</title>
      <meta name="twitter:title" content="Twitter title">
      <meta content='OG &quot;title&quot;' property="og:title">
      <meta name=description content=Short>
      <meta property="og:site_name" content="The Site"></head>`;
    expect(pageText(html)).toEqual({ title: 'OG "title"', summary: 'Short', feed: 'The Site' });
    expect(pageText('<title>Only &amp; this</title>')).toEqual({
      title: 'Only & this',
      summary: '',
    });
  });

  it('reads markup inside a value as text, never as markup', () => {
    const html = `<meta property="og:title" content="&lt;img src=x onerror=alert(1)&gt;Sanctions widen">
      <meta property="og:description" content="Line one\u0007 &#x202e;two">`;
    const text = pageText(html);
    expect(text?.title).toBe('Sanctions widen');
    expect(text?.summary).toBe('Line one two');
  });

  it('finds nothing on a page without a title', () => {
    expect(pageText('<p>no head at all</p>')).toBeUndefined();
    expect(pageText('<meta property="og:title" content="   ">')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalLink, canonicalUrl, urlDedupeKey } from '#shared/feeds/canonical-url.ts';

describe('canonicalUrl', () => {
  it('lowercases scheme and host and drops the default port and fragment', () => {
    expect(canonicalUrl('HTTPS://News.Example.ORG:443/Story/1#comments')).toBe(
      'https://news.example.org/Story/1',
    );
  });

  it('strips tracking parameters and keeps the others in order', () => {
    expect(
      canonicalUrl(
        'https://example.org/a?id=7&utm_source=rss&utm_medium=feed&fbclid=x&gclid=y&page=2&mc_cid=z',
      ),
    ).toBe('https://example.org/a?id=7&page=2');
  });

  it('drops an empty query left after stripping', () => {
    expect(canonicalUrl('https://example.org/a?utm_campaign=x')).toBe('https://example.org/a');
  });

  it('resolves a relative link against a base', () => {
    expect(canonicalUrl('../b/c.html', 'https://example.org/x/y/feed.xml')).toBe(
      'https://example.org/x/b/c.html',
    );
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,hi',
    'file:///etc/passwd',
    'mailto:a@b.c',
    'ftp://example.org/',
    '',
    // A punycode label that decodes to nothing is no host at all.
    'https://xn--.org/a',
  ])('refuses %s', (link) => {
    expect(canonicalUrl(link)).toBeUndefined();
  });

  it('refuses links with credentials', () => {
    expect(canonicalUrl('https://user:pass@example.org/')).toBeUndefined();
  });
});

describe('urlDedupeKey', () => {
  it('treats www, scheme, trailing slash and parameter order as the same story', () => {
    const a = urlDedupeKey(canonicalUrl('http://www.example.org/story/?b=2&a=1') as string);
    const b = urlDedupeKey(canonicalUrl('https://example.org/story?a=1&b=2') as string);

    expect(a).toBe(b);
  });

  it('keeps different paths apart', () => {
    expect(urlDedupeKey('https://example.org/story-1')).not.toBe(
      urlDedupeKey('https://example.org/story-2'),
    );
  });
});

describe('canonicalLink', () => {
  it.each([
    'HTTPS://News.Example.ORG:443/Story/1#comments',
    'http://www.example.org/story/?b=2&a=1&utm_source=rss',
    'https://example.org/a?utm_campaign=x#top',
    'https://example.org///',
    'https://www.example.org:8080/a//?q=a+b&p=%20',
    'http://[::1]:8080/x/',
    'https://example.org/a?&',
    'https://example.org/a#',
  ])('gives the canonical URL and dedupe key the separate functions give for %s', (link) => {
    const url = canonicalUrl(link) as string;

    expect(canonicalLink(link)).toEqual({ url, dedupeKey: urlDedupeKey(url) });
  });

  it('resolves against a base like canonicalUrl', () => {
    expect(canonicalLink('../b/c.html#x', 'https://example.org/x/y/feed.xml#frag')).toEqual({
      url: 'https://example.org/x/b/c.html',
      dedupeKey: 'url:example.org/x/b/c.html',
    });
  });

  it.each(['javascript:alert(1)', 'https://user:pass@example.org/', ''])('refuses %s', (link) => {
    expect(canonicalLink(link)).toBeUndefined();
  });
});

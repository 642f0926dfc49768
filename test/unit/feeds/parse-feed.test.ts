import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { NormalizedItemSchema } from '#shared/feeds/feed-item.ts';
import { parseFeedDocument } from '#shared/feeds/parse-feed.ts';

const fixtures = resolve(import.meta.dirname, '../../fixtures/feeds');
const FEED_URL = 'https://feeds.example.org/world.xml';
const fetchedAt = new Date('2024-06-01T00:00:00Z');

function parse(text: string | Uint8Array, extra: { contentType?: string; maxItems?: number } = {}) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return parseFeedDocument(bytes, { feedUrl: FEED_URL, fetchedAt, ...extra });
}

function rss(items: string, channel = '<title>Feed</title>'): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel>${channel}${items}</channel></rss>`;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FeedError);
  return (error as FeedError).code;
}

describe('formats', () => {
  it('reads RSS 0.91', async () => {
    const result = await parse(readFileSync(resolve(fixtures, 'rss-091.xml')));

    expect(result.feed).toEqual({ title: 'Example 0.91', link: 'http://example.org/' });
    expect(result.items[0]).toMatchObject({
      title: 'Old format story',
      link: 'http://example.org/old-story',
      summary: 'Plain summary & more',
      language: 'en-us',
    });
  });

  it('reads RSS 1.0 (RDF) with Dublin Core dates and creators', async () => {
    const result = await parse(readFileSync(resolve(fixtures, 'rss-10-rdf.xml')));

    expect(result.feed.title).toBe('Example RDF');
    expect(result.items[0]).toMatchObject({
      title: 'RDF story',
      link: 'http://example.org/rdf-story',
      published: '2024-05-16T06:30:00.000Z',
      author: 'A. Writer',
    });
  });

  it('reads Atom with xml:base, html titles and xhtml content', async () => {
    const result = await parse(readFileSync(resolve(fixtures, 'atom.xml')));
    const [entry] = result.items;

    expect(result.feed).toEqual({ title: 'Example Atom', link: 'https://example.net/blog/' });
    expect(entry).toMatchObject({
      title: 'Atom entry',
      link: 'https://example.net/blog/posts/one.html',
      guid: 'urn:uuid:entry-1',
      summary: 'Summary with markup',
      content: 'Full content',
      published: '2024-05-16T09:00:00.000Z',
      language: 'de',
      author: 'Autorin',
    });
  });

  it('reads a JSON Feed', async () => {
    const result = await parse(readFileSync(resolve(fixtures, 'json-feed.json')), {
      contentType: 'application/feed+json',
    });

    expect(result.feed).toEqual({ title: 'Example JSON Feed', link: 'https://example.com/' });
    expect(result.items.map((item) => [item.title, item.link])).toEqual([
      ['JSON story', 'https://example.com/json-story'],
      ['No link here', undefined],
    ]);
    expect(result.items[0]?.summary).toBe('Hello world');
  });

  it('fails an HTML page with NOT_A_FEED', async () => {
    expect(
      await codeOf(parse('<!DOCTYPE html><html><body><p>Document moved</p></body></html>')),
    ).toBe('NOT_A_FEED');
  });

  it('fails an empty body with NOT_A_FEED', async () => {
    expect(await codeOf(parse(''))).toBe('NOT_A_FEED');
  });

  it('fails JSON that is not a feed with NOT_A_FEED', async () => {
    expect(await codeOf(parse('{"hello": "world"}'))).toBe('NOT_A_FEED');
  });

  it('fails plain text with NOT_A_FEED', async () => {
    expect(await codeOf(parse('Service unavailable'))).toBe('NOT_A_FEED');
  });
});

describe('recovery', () => {
  it('reads a feed with a server error printed before the root', async () => {
    const result = await parse(
      `<b>Warning</b>: something in /var/www<br/>\n${rss('<item><title>Still here</title></item>')}`,
    );

    expect(result.items[0]?.title).toBe('Still here');
  });

  it('keeps an item with an unusable date, without a date', async () => {
    const result = await parse(
      rss('<item><title>Dateless</title><pubDate>sometime soon</pubDate></item>'),
    );

    expect(result.items[0]?.title).toBe('Dateless');
    expect(result.items[0]?.published).toBeUndefined();
    expect(result.warnings.join(' ')).toMatch(/unusable date/);
  });

  it('drops a date far in the future', async () => {
    const result = await parse(
      rss('<item><title>Future</title><pubDate>Mon, 01 Jan 2035 00:00:00 GMT</pubDate></item>'),
    );

    expect(result.items[0]?.published).toBeUndefined();
  });

  it('maps a permalink guid to the link when the link is missing', async () => {
    const result = await parse(
      rss('<item><title>G</title><guid>https://example.org/by-guid</guid></item>'),
    );

    expect(result.items[0]?.link).toBe('https://example.org/by-guid');
  });

  it('does not take a guid marked isPermaLink="false" as the link', async () => {
    const result = await parse(
      rss(
        '<item><title>G</title><guid isPermaLink="false">https://example.org/not-a-page</guid></item>',
      ),
    );

    expect(result.items[0]?.link).toBeUndefined();
  });

  it('reads an item link written as an href attribute', async () => {
    const result = await parse(
      rss('<item><title>H</title><link href="https://example.org/href"/></item>'),
    );

    expect(result.items[0]?.link).toBe('https://example.org/href');
  });

  it('falls back to the Media RSS description for the summary', async () => {
    const result = await parse(
      rss(
        '<item xmlns:media="http://search.yahoo.com/mrss/"><title>V</title><media:group><media:description>Video text</media:description></media:group></item>',
      ),
    );

    expect(result.items[0]?.summary).toBe('Video text');
  });

  it('uses the content as the summary when there is no summary', async () => {
    const result = await parse(
      rss(
        '<item xmlns:content="http://purl.org/rss/1.0/modules/content/"><title>C</title><content:encoded><![CDATA[<p>Only full text</p>]]></content:encoded></item>',
      ),
    );

    expect(result.items[0]?.summary).toBe('Only full text');
  });

  it('removes control characters', async () => {
    const result = await parse(rss('<item><title>Bad\u0001 \u0008chars\u001f</title></item>'));

    expect(result.items[0]?.title).toBe('Bad chars');
  });

  it('keeps only http and https links', async () => {
    const result = await parse(
      rss('<item><title>JS</title><link>javascript:alert(document.cookie)</link></item>'),
    );

    expect(result.items[0]?.link).toBeUndefined();
  });

  it('reduces HTML summaries to text and drops scripts and styles', async () => {
    const result = await parse(
      rss(
        '<item><title>H</title><description><![CDATA[<p>Hello <a href="x" onclick="evil()">there</a></p><script>steal()</script><style>p{}</style><img src=x onerror=alert(1)>]]></description></item>',
      ),
    );

    expect(result.items[0]?.summary).toBe('Hello there');
  });

  it('removes markup that turns executable after entity decoding', async () => {
    const result = await parse(
      rss('<item><title>T &amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt;</title></item>'),
    );

    expect(result.items[0]?.title).not.toMatch(/<script/i);
  });

  it('caps the number of items', async () => {
    const items = Array.from(
      { length: 30 },
      (_, index) => `<item><title>Item ${index}</title></item>`,
    ).join('');

    const result = await parse(rss(items), { maxItems: 10 });

    expect(result.items).toHaveLength(10);
    expect(result.warnings.join(' ')).toMatch(/kept the first 10/);
  });

  it('caps the length of each field', async () => {
    const result = await parse(rss(`<item><title>${'word '.repeat(1000)}</title></item>`));

    expect(result.items[0]?.title.length).toBeLessThanOrEqual(500);
  });

  it('uses the start of the summary as the title when the title is missing', async () => {
    const result = await parse(
      rss(
        '<item><description>Only a summary here</description><link>https://example.org/s</link></item>',
      ),
    );

    expect(result.items[0]?.title).toBe('Only a summary here');
  });

  it('produces items that satisfy the NormalizedItem schema', async () => {
    const result = await parse(readFileSync(resolve(fixtures, 'atom.xml')));

    for (const item of result.items) expect(NormalizedItemSchema.parse(item)).toEqual(item);
  });
});

describe('dedupe keys', () => {
  it('keys an item by its canonical URL and its feed-scoped guid', async () => {
    const result = await parse(
      rss(
        '<item><title>A</title><link>https://www.example.org/a?utm_source=x</link><guid>abc-1</guid></item>',
      ),
    );

    expect(result.items[0]?.link).toBe('https://www.example.org/a');
    expect(result.items[0]?.dedupeKeys).toEqual([
      'url:example.org/a',
      expect.stringMatching(/^guid:[0-9a-f]{16}:abc-1$/),
    ]);
  });

  it('keeps the same id when the publisher changes the guid or the title', async () => {
    const before = await parse(
      rss('<item><title>Old title</title><link>https://example.org/a</link><guid>1</guid></item>'),
    );
    const after = await parse(
      rss('<item><title>New title</title><link>https://example.org/a</link><guid>2</guid></item>'),
    );

    expect(after.items[0]?.id).toBe(before.items[0]?.id);
  });

  it('fingerprints items that have neither link nor guid', async () => {
    const result = await parse(
      rss('<item><title>Bare</title><description>Text</description></item>'),
    );

    expect(result.items[0]?.dedupeKeys).toEqual([expect.stringMatching(/^fp:[0-9a-f]{32}$/)]);
  });

  it('ignores a guid shared by different stories', async () => {
    const result = await parse(
      rss(
        '<item><title>One</title><guid>same</guid></item><item><title>Two</title><guid>same</guid></item>',
      ),
    );

    expect(new Set(result.items.map((item) => item.id)).size).toBe(2);
    expect(result.warnings.join(' ')).toMatch(/same guid/);
  });

  it('gives one id to a story listed twice under its article link with a changed title', async () => {
    const result = await parse(
      rss(
        '<item><title>Old headline</title><link>https://example.org/news/1</link><guid>a</guid></item><item><title>New headline</title><link>https://example.org/news/1</link><guid>b</guid></item>',
      ),
    );

    expect(result.items[0]?.id).toBe(result.items[1]?.id);
  });

  it('does not use a front-page link shared by different stories as their identity', async () => {
    const result = await parse(
      rss(
        '<item><title>One</title><link>https://example.org/</link><guid>a</guid></item><item><title>Two</title><link>https://example.org/</link><guid>b</guid></item>',
      ),
    );

    expect(result.items[0]?.id).not.toBe(result.items[1]?.id);
    expect(result.items[0]?.link).toBe('https://example.org/');
    expect(result.warnings.join(' ')).toMatch(/same link/);
  });

  it('gives a story repeated in one document the same id', async () => {
    const item = '<item><title>Twice</title><link>https://example.org/t</link></item>';

    const result = await parse(rss(item + item));

    expect(result.items[0]?.id).toBe(result.items[1]?.id);
  });
});

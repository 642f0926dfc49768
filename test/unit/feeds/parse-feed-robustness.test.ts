import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { NormalizedItemSchema } from '#shared/feeds/feed-item.ts';
import { parseFeedDocument } from '#shared/feeds/parse-feed.ts';

const context = {
  feedUrl: 'https://feeds.example.org/rss',
  fetchedAt: new Date('2024-06-01T00:00:00Z'),
};
const SAMPLE = `<?xml version="1.0"?><rss version="2.0"><channel><title>T &amp; co</title><item><title>A &hellip;</title><link>https://example.org/a</link><guid>1</guid><description><![CDATA[<p>x</p>]]></description><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate></item></channel></rss>`;
const fragments = fc.constantFrom(
  '<',
  '>',
  '&',
  '&amp;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<!DOCTYPE x [',
  ']>',
  '<item>',
  '</item>',
  '<entry>',
  '<feed xmlns="http://www.w3.org/2005/Atom">',
  '<link href="javascript:x"/>',
  '"',
  "'",
  '\u0000',
  '<?xml',
  '?>',
  '{',
);

async function outcome(bytes: Uint8Array): Promise<void> {
  try {
    const result = await parseFeedDocument(bytes, context);
    for (const item of result.items)
      expect(NormalizedItemSchema.safeParse(item).success).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).not.toBe('INTERNAL');
  }
}

describe('parseFeedDocument on arbitrary input', () => {
  it('yields valid items or a typed error for random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), (bytes) => outcome(bytes)));
  });

  it('yields valid items or a typed error for a feed with markup spliced in anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: SAMPLE.length }), fragments), { maxLength: 6 }),
        fc.nat({ max: SAMPLE.length }),
        async (splices, cut) => {
          let text = SAMPLE;
          for (const [at, fragment] of splices)
            text = text.slice(0, at) + fragment + text.slice(at);
          await outcome(Buffer.from(text.slice(0, Math.max(cut, text.length - cut))));
        },
      ),
    );
  });
});

describe('parseFeedDocument on inputs built to make naive parsers quadratic', () => {
  const size = 300_000;
  const item = (inner: string): string =>
    `<rss><channel><item><title>x</title>${inner}</item></channel></rss>`;

  it.each([
    [
      'unclosed comments in a summary',
      item(`<description>${'&lt;!--'.repeat(size / 7)}</description>`),
    ],
    [
      'unclosed scripts in a summary',
      item(`<description>${'&lt;script&gt;'.repeat(size / 14)}</description>`),
    ],
    [
      'unclosed block tags in a summary',
      item(`<description>${'&lt;p'.repeat(size / 5)}</description>`),
    ],
    [
      'white space inside a tag',
      `<rss><channel><item a${' '.repeat(size)}"><title>x</title></item></channel></rss>`,
    ],
    [
      'unbalanced attribute quotes',
      `<rss><channel><item ${'a="'.repeat(size / 3)}><title>x</title></item></channel></rss>`,
    ],
    ['bare ampersands', item(`<description>${'&'.repeat(size)}</description>`)],
    ['stray end tags', item('</nope>'.repeat(size / 7))],
    ['an endless DOCTYPE', `<!DOCTYPE${' ['.repeat(size / 2)}<rss/>`],
    ['deeply nested JSON', `${'['.repeat(size)}${']'.repeat(size)}`],
    [
      'a JSON Feed item nested deep',
      `{"version":"https://jsonfeed.org/version/1.1","items":[{"title":"x","extra":${'{"a":'.repeat(size / 10)}1${'}'.repeat(size / 10)}}]}`,
    ],
  ])('finishes with a result or a typed error for %s', async (_name, text) => {
    await outcome(Buffer.from(text));
  });
});

import { describe, expect, it } from 'vitest';
import { parseFeedDocument } from '#shared/feeds/parse-feed.ts';

const FEED_URL = 'https://feeds.example.org/section/world.xml';

async function linksOf(channel: string): Promise<(string | undefined)[]> {
  const text = `<?xml version="1.0"?><rss version="2.0">${channel}</rss>`;
  const parsed = await parseFeedDocument(Buffer.from(text), {
    feedUrl: FEED_URL,
    fetchedAt: new Date('2024-06-01T00:00:00Z'),
  });
  return parsed.items.map((item) => item.link);
}

describe('item links', () => {
  it('keeps an absolute link whatever the document URL, in canonical form', async () => {
    const links = await linksOf(
      '<channel><item><title>A</title><link>HTTPS://News.Example.ORG:443/a?utm_source=rss#top</link></item></channel>',
    );

    expect(links).toEqual(['https://news.example.org/a']);
  });

  it('resolves a relative link against the document URL', async () => {
    const links = await linksOf(
      '<channel><item><title>A</title><link>../stories/a.html</link></item></channel>',
    );

    expect(links).toEqual(['https://feeds.example.org/stories/a.html']);
  });

  it('resolves links against an xml:base, even absolute-looking ones on the same scheme', async () => {
    const links = await linksOf(
      '<channel xml:base="https://other.example.net/base/"><item><title>A</title><link>a.html</link></item><item><title>B</title><link>https://third.example.com/b</link></item></channel>',
    );

    expect(links).toEqual(['https://other.example.net/base/a.html', 'https://third.example.com/b']);
  });
});

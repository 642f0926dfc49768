import { describe, expect, it } from 'vitest';
import { blockedAddressReason } from '#shared/feeds/feed-address-check.ts';
import { feedListOpml } from '#shared/feeds/feed-list-opml.ts';
import { parseFeedList } from '#shared/feeds/load-feed-list.ts';

const LISTED = [
  {
    feedId: 'a',
    url: 'https://news.example.com/rss?a=1&b=2',
    name: 'Tom & Jerry\'s "News" > all',
    tags: ['world', 'eu'],
    addedAt: '2031-01-01T00:00:00.000Z',
  },
  {
    feedId: 'b',
    url: 'https://plain.example.com/feed',
    tags: [],
    addedAt: '2031-01-01T00:00:00.000Z',
  },
];

describe('the feed list as OPML', () => {
  it('escapes every attribute and reads back as the same feeds, tags included', () => {
    const opml = feedListOpml(LISTED);

    expect(opml).toContain('xmlUrl="https://news.example.com/rss?a=1&amp;b=2"');
    expect(opml).toContain('title="Tom &amp; Jerry&apos;s &quot;News&quot; &gt; all"');
    expect(parseFeedList('export.opml', Buffer.from(opml))).toEqual([
      { url: LISTED[0]?.url, name: 'Tom & Jerry\'s "News" > all', tags: ['world', 'eu'] },
      // A feed without a name is exported under its URL, which names it on the way back.
      { url: 'https://plain.example.com/feed', name: 'https://plain.example.com/feed', tags: [] },
    ]);
  });

  it('reads OPML 2.0 categories as tags beside the folder names, the last part of each path', () => {
    const opml = `<opml version="2.0"><body><outline text="World">
      <outline text="Wire" xmlUrl="https://wire.example.com/rss" category="/news/politics, sanctions"/>
    </outline></body></opml>`;

    expect(parseFeedList('reader.opml', Buffer.from(opml))).toEqual([
      {
        url: 'https://wire.example.com/rss',
        name: 'Wire',
        tags: ['World', 'politics', 'sanctions'],
      },
    ]);
  });
});

describe('the address check at add time', () => {
  const resolveTo = (address: string) => async () => [
    { address, family: address.includes(':') ? 6 : 4 },
  ];

  it.each([
    ['http://127.0.0.1/feed', undefined],
    ['http://[fd00::1]/feed', undefined],
    ['http://0x7f.1/feed', undefined],
    ['http://metadata.internal/feed', '169.254.169.254'],
    ['http://mapped.example/feed', '::ffff:10.0.0.1'],
  ])('refuses %s', async (url, resolved) => {
    const reason = await blockedAddressReason(new URL(url), resolveTo(resolved ?? '93.184.215.14'));

    expect(reason).toMatch(/non-public address$/);
  });

  it('passes a public address, and a name that does not resolve now (the fetch guard stays)', async () => {
    expect(
      await blockedAddressReason(new URL('https://example.com/f'), resolveTo('93.184.215.14')),
    ).toBeUndefined();
    const unresolvable = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(
      await blockedAddressReason(new URL('https://gone.example/f'), unresolvable),
    ).toBeUndefined();
  });
});

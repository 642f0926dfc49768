import { describe, expect, it } from 'vitest';
import { type ParseContext, parseFeedDocument } from '#shared/feeds/parse-feed.ts';
import {
  ENTRY_DIGEST_CHARS,
  scanEntries,
  withoutKnownEntries,
} from '#shared/feeds/unchanged-entries.ts';

interface Story {
  title: string;
  link?: string;
  guid?: string;
  summary?: string;
}

const story = (slug: string, extra: Partial<Story> = {}): Story => ({
  title: `Story ${slug}`,
  link: `https://news.example/2026/11/${slug}`,
  guid: `https://news.example/2026/11/${slug}`,
  summary: `What happened in ${slug}.`,
  ...extra,
});

function rssItem(item: Story): string {
  return [
    '<item>',
    `<title>${item.title}</title>`,
    item.link === undefined ? '' : `<link>${item.link}</link>`,
    item.guid === undefined ? '' : `<guid>${item.guid}</guid>`,
    `<description>${item.summary ?? ''}</description>`,
    '<pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate>',
    '</item>',
  ].join('');
}

const rss = (items: Story[], channelExtra = ''): string =>
  `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>News</title><link>https://news.example/</link>${channelExtra}\n${items.map(rssItem).join('\n')}\n</channel></rss>`;

const CONTEXT: ParseContext = {
  feedUrl: 'https://news.example/feed',
  fetchedAt: new Date('2026-11-28T00:00:00Z'),
};
const bytes = (text: string) => Buffer.from(text, 'utf8');

/** A parse as a poll runs it: with the digests of the feed's last document (none at first). */
async function parse(text: string, known: Iterable<string> = []) {
  return parseFeedDocument(bytes(text), { ...CONTEXT, knownEntries: new Set(known) });
}

describe('scanEntries', () => {
  it('finds each RSS item and digests its text', () => {
    const text = rss([story('a'), story('b'), story('c')]);

    const scan = scanEntries(text, 500);

    expect(scan?.spans.map((span) => text.slice(span.start, span.end))).toEqual(
      [story('a'), story('b'), story('c')].map(rssItem),
    );
    expect(new Set(scan?.digests).size).toBe(3);
    for (const digest of scan?.digests ?? []) expect(digest).toMatch(/^[\w-]{8}$/);
    expect(ENTRY_DIGEST_CHARS).toBe(8);
  });

  it('gives an entry the same digest wherever it stands, and another one when a byte changes', () => {
    const before = scanEntries(rss([story('a'), story('b')]), 500);
    const after = scanEntries(
      rss([story('new'), story('a'), story('b', { title: 'Story B' })]),
      500,
    );

    expect(after?.digests[1]).toBe(before?.digests[0]);
    expect(after?.digests[2]).not.toBe(before?.digests[1]);
  });

  it('finds Atom entries, prefixed and empty entries, and not the items of an RDF channel', () => {
    const atom =
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry xml:lang="en"><id>1</id></entry><atom:entry><id>2</id></atom:entry><entry/></feed>';
    const rdf =
      '<rdf:RDF><channel><items><rdf:Seq><rdf:li resource="x"/></rdf:Seq></items></channel><item rdf:about="x"><title>X</title></item></rdf:RDF>';

    expect(scanEntries(atom, 500)?.spans).toHaveLength(3);
    const rdfScan = scanEntries(rdf, 500);
    expect(rdfScan?.spans).toHaveLength(1);
    expect(rdf.slice(rdfScan?.spans[0]?.start, rdfScan?.spans[0]?.end)).toBe(
      '<item rdf:about="x"><title>X</title></item>',
    );
  });

  it('takes no tag inside a CDATA section or a comment for an entry', () => {
    const text = rss(
      [story('a')],
      '<description><![CDATA[<item>not one</item>]]></description><!-- <item> nor this -->',
    );

    expect(scanEntries(text, 500)?.spans).toHaveLength(1);
  });

  it.each([
    ['an entry inside an entry', '<rss><channel><item><item></item></item></channel></rss>'],
    ['a stray end tag', '<rss><channel></item><item></item></channel></rss>'],
    ['an entry closed by another name', '<feed><entry></item></feed>'],
    ['a truncated entry', '<rss><channel><item><title>cut'],
    ['an unclosed CDATA section', '<rss><channel><item><title><![CDATA[cut'],
  ])('gives up on %s, so the document is read whole', (_case, text) => {
    expect(scanEntries(text, 500)).toBeUndefined();
  });

  it('gives up on more entries than the item cap', () => {
    const text = rss([story('a'), story('b'), story('c')]);

    expect(scanEntries(text, 2)).toBeUndefined();
    expect(scanEntries(text, 3)?.spans).toHaveLength(3);
  });
});

describe('withoutKnownEntries', () => {
  it('leaves out the known entries and keeps everything around them', () => {
    const text = rss([story('a'), story('b'), story('c')]);
    const scan = scanEntries(text, 500);
    if (!scan) throw new Error('scan failed');

    const spliced = withoutKnownEntries(
      text,
      scan,
      new Set([scan.digests[0], scan.digests[2]] as string[]),
    );

    expect(spliced?.unchanged).toBe(2);
    expect(spliced?.text).toBe(
      text.replace(rssItem(story('a')), '').replace(rssItem(story('c')), ''),
    );
    expect(withoutKnownEntries(text, scan, new Set(['unknown!']))).toBeUndefined();
  });
});

describe('parseFeedDocument with the entries of the last document', () => {
  it('reads only the entries that changed, and they come out as a whole parse gives them', async () => {
    const last = await parse(rss([story('a'), story('b'), story('c')]));
    const next = rss([story('new'), story('d'), story('a'), story('b', { title: 'B edited' })]);

    const partial = await parse(next, last.entries);
    const whole = await parse(next);

    expect(partial.unchangedItems).toBe(1);
    expect(partial.items.map((item) => item.title)).toEqual(['Story new', 'Story d', 'B edited']);
    expect(partial.items).toEqual(whole.items.filter((item) => item.title !== 'Story a'));
    expect(partial.entries).toEqual(whole.entries);
    expect(partial.feed).toEqual(whole.feed);
  });

  it('reads the channel and nothing else when every entry is known', async () => {
    const text = rss([story('a'), story('b')]);
    const last = await parse(text);

    const again = await parse(text, last.entries);

    expect(again).toMatchObject({ items: [], unchangedItems: 2, feed: { title: 'News' } });
  });

  it('reads the whole document when a CMS gives every item the same guid and no link', async () => {
    const reused = (slug: string) => story(slug, { link: undefined, guid: '1' });
    const last = await parse(rss([reused('a'), reused('b')]));
    const next = rss([reused('new'), reused('a'), reused('b')]);

    const partial = await parse(next, last.entries);

    expect(partial.unchangedItems).toBe(0);
    expect(partial.items).toEqual((await parse(next)).items);
    expect(new Set(partial.items.map((item) => item.id)).size).toBe(3);
  });

  it('reads the whole document when a new item shares its link with known ones', async () => {
    const section = (slug: string) =>
      story(slug, { link: 'https://news.example/world/', guid: `id-${slug}-0001` });
    const last = await parse(rss([section('a'), section('b')]));
    const next = rss([section('new'), section('a'), section('b')]);

    const partial = await parse(next, last.entries);

    expect(partial.unchangedItems).toBe(0);
    expect(partial.items).toEqual((await parse(next)).items);
  });

  it('reads the whole document when it cannot find a new link as written', async () => {
    // Written with a character reference, the link's canonical form has %C3%A9 instead.
    const escaped = story('x', { link: 'https://news.example/caf&#233;-story', guid: 'x-0001' });
    const last = await parse(rss([story('a')]));
    const next = rss([escaped, story('a')]);

    const partial = await parse(next, last.entries);

    expect(partial.unchangedItems).toBe(0);
    expect(partial.items).toEqual((await parse(next)).items);
  });

  it('tells articles that differ only by query apart', async () => {
    const byQuery = (id: number) =>
      story(`q${id}`, {
        link: `https://news.example/article.cfm?c_id=1&amp;objectid=${id}`,
        guid: undefined,
      });
    const last = await parse(rss([byQuery(11), byQuery(12)]));
    const next = rss([byQuery(13), byQuery(11), byQuery(12)]);

    const partial = await parse(next, last.entries);

    expect(partial.unchangedItems).toBe(2);
    expect(partial.items).toEqual([(await parse(next)).items[0]]);
  });

  it('answers as the whole document does when its tail is cut off and every entry is known', async () => {
    const text = rss([story('a'), story('b')]).replace('</channel></rss>', '');
    const last = await parse(text);

    const again = await parse(text, last.entries);

    expect(again.items).toEqual((await parse(text)).items);
  });

  it('cuts UTF-8 bytes without decoding the known entries, multi-byte text and ids included', async () => {
    const accented = (slug: string) =>
      story(slug, { title: `Кремль и Пекин: ${slug} — «союз»`, guid: `urn:новости:${slug}` });
    const last = await parse(rss([accented('a'), accented('b')]));
    const next = rss([accented('new'), accented('a'), accented('b')]);

    const partial = await parse(next, last.entries);
    const whole = await parse(next);

    expect(partial.unchangedItems).toBe(2);
    expect(partial.items).toEqual([whole.items[0]]);
    expect(partial.items[0]?.title).toBe('Кремль и Пекин: new — «союз»');
    expect(partial.entries).toEqual(whole.entries);
  });

  it('digests an entry alike from UTF-8 bytes and from text decoded from another charset', async () => {
    // The same ASCII document, labelled Latin-1 (decoded first) and unlabelled (cut as bytes).
    const text = rss([story('a'), story('b')]);
    const asBytes = await parse(text);
    const asLatin1 = await parseFeedDocument(bytes(text), {
      ...CONTEXT,
      contentType: 'application/rss+xml; charset=iso-8859-1',
      knownEntries: new Set(),
    });

    expect(asLatin1.entries).toEqual(asBytes.entries);
  });

  it('reads only the changed entries of a windows-1252 document too', async () => {
    const latin = (text: string) => Buffer.from(text, 'latin1');
    const context = { ...CONTEXT, contentType: 'text/xml; charset=windows-1252' };
    const cafe = (slug: string) => story(slug, { summary: `Un café à ${slug}.` });
    const first = rss([cafe('a'), cafe('b')]);
    const next = rss([cafe('c'), cafe('a'), cafe('b')]);
    const last = await parseFeedDocument(latin(first), { ...context, knownEntries: new Set() });

    const partial = await parseFeedDocument(latin(next), {
      ...context,
      knownEntries: new Set(last.entries),
    });

    expect(partial.unchangedItems).toBe(2);
    expect(partial.items.map((item) => item.summary)).toEqual(['Un café à c.']);
  });

  it('digests no entries for a caller that keeps none', async () => {
    const parsed = await parseFeedDocument(bytes(rss([story('a')])), CONTEXT);

    expect(parsed.entries).toBeUndefined();
    expect(parsed).toMatchObject({ unchangedItems: 0, items: [{ title: 'Story a' }] });
  });

  it('has no entries for a JSON Feed', async () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: [{ id: '1', url: 'https://news.example/j', title: 'J1' }],
    });

    const parsed = await parse(json, ['whatever']);

    expect(parsed.entries).toBeUndefined();
    expect(parsed).toMatchObject({ unchangedItems: 0, items: [{ title: 'J1' }] });
  });
});

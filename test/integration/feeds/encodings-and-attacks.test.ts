import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import type { PollResult } from '#shared/feeds/feed-poller.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { FeedTestServer, rssDocument } from './feed-test-server.ts';

const server = new FeedTestServer();
const poller = createFeedPoller({
  allowPrivateNetwork: true,
  timeoutMs: 5_000,
  maxBodyBytes: 1_000_000,
  perHostConcurrency: 2,
});

beforeAll(() => server.start());
afterAll(() => server.stop());

async function titlesOf(path: string): Promise<string[]> {
  const result: PollResult = await poller.poll({
    feed: { url: server.url(path), tags: [] },
    previous: {},
  });
  if (result.kind !== 'parsed') throw new Error('expected items');
  return result.items.map((item) => item.title);
}

const SAMPLES: [string, string][] = [
  ['windows-1251', 'Новости дня: переговоры'],
  ['koi8-r', 'Новости дня: переговоры'],
  ['windows-1252', 'Café “quoted” — déjà vu'],
  ['iso-8859-1', 'Café crème à la française'],
  ['iso-8859-2', 'Zażółć gęślą jaźń'],
  ['iso-8859-5', 'Новости дня'],
  ['iso-8859-7', 'Ειδήσεις της ημέρας'],
  ['gb2312', '新闻国内：会谈'],
  ['gbk', '新聞國內：會談'],
];

describe('charsets', () => {
  it.each(SAMPLES)('decodes %s declared in the XML declaration', async (encoding, title) => {
    server.serve(`/decl-${encoding}`, iconv.encode(rssDocument([title], encoding), encoding), {
      'content-type': 'application/rss+xml',
    });

    expect(await titlesOf(`/decl-${encoding}`)).toEqual([title]);
  });

  it.each(SAMPLES)('decodes %s named only in the HTTP Content-Type', async (encoding, title) => {
    const body = iconv.encode(rssDocument([title]).replace(' encoding="UTF-8"', ''), encoding);
    server.serve(`/http-${encoding}`, body, { 'content-type': `text/xml; charset=${encoding}` });

    expect(await titlesOf(`/http-${encoding}`)).toEqual([title]);
  });

  it('lets the HTTP charset win over a wrong XML declaration', async () => {
    const title = 'Новости дня';
    server.serve('/http-wins', iconv.encode(rssDocument([title], 'ISO-8859-1'), 'windows-1251'), {
      'content-type': 'application/xml; charset=windows-1251',
    });

    expect(await titlesOf('/http-wins')).toEqual([title]);
  });

  it.each([
    ['utf-16le', Buffer.from([0xff, 0xfe])],
    ['utf-16be', Buffer.from([0xfe, 0xff])],
  ])('decodes %s with a byte order mark', async (encoding, bom) => {
    const title = 'Ελληνικά and 中文';
    const text = rssDocument([title], 'UTF-16');
    const bytes =
      encoding === 'utf-16le'
        ? Buffer.from(text, 'utf16le')
        : Buffer.from(text, 'utf16le').swap16();
    server.serve(`/bom-${encoding}`, Buffer.concat([bom, bytes]));

    expect(await titlesOf(`/bom-${encoding}`)).toEqual([title]);
  });

  it('decodes a UTF-8 byte order mark before the declaration', async () => {
    server.serve(
      '/bom-utf8',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rssDocument(['Überblick']))]),
    );

    expect(await titlesOf('/bom-utf8')).toEqual(['Überblick']);
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', async () => {
    const body = iconv.encode(
      rssDocument(['Naïve “smart” quotes']).replace(' encoding="UTF-8"', ''),
      'windows-1252',
    );
    server.serve('/undeclared-latin', body, { 'content-type': 'application/rss+xml' });

    expect(await titlesOf('/undeclared-latin')).toEqual(['Naïve “smart” quotes']);
  });
});

describe('hostile documents', () => {
  it('never expands a billion-laughs entity', async () => {
    const laughs = Array.from(
      { length: 9 },
      (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`,
    ).join('');
    const body = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">${laughs}]><rss><channel><item><title>Laughs &lol9;</title><link>https://news.example.org/a</link></item></channel></rss>`;
    server.serve('/laughs', body);

    const titles = await titlesOf('/laughs');

    expect(titles).toEqual(['Laughs &lol9;']);
  });

  it('never reads an external entity', async () => {
    const body = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item><title>Secret &xxe;</title><link>https://news.example.org/b</link></item></channel></rss>`;
    server.serve('/xxe', body);

    const titles = await titlesOf('/xxe');

    expect(titles).toEqual(['Secret &xxe;']);
    expect(titles.join('')).not.toMatch(/root:/);
  });

  it('fails absurdly deep nesting cleanly with TOO_DEEP', async () => {
    const depth = 100_000;
    server.serve(
      '/deep',
      `<rss><channel><item><title>${'<b>'.repeat(depth)}x${'</b>'.repeat(depth)}</title></item></channel></rss>`,
    );

    const error = await poller
      .poll({ feed: { url: server.url('/deep'), tags: [] }, previous: {} })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe('TOO_DEEP');
  });
});

describe('per-host politeness', () => {
  it('keeps at most the configured number of requests in flight to one host', async () => {
    let inFlight = 0;
    let peak = 0;
    server.route('/slow', (_request, response) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(rssDocument(['Slow']));
      }, 100);
    });
    const polite = createFeedPoller({
      allowPrivateNetwork: true,
      timeoutMs: 5_000,
      maxBodyBytes: 100_000,
      perHostConcurrency: 2,
    });

    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        polite.poll({ feed: { url: `${server.url('/slow')}?n=${index}`, tags: [] }, previous: {} }),
      ),
    );

    expect(peak).toBe(2);
  });

  it('limits each host on its own', async () => {
    let inFlight = 0;
    let peak = 0;
    server.route('/slow-two-hosts', (_request, response) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        response.writeHead(200).end(rssDocument(['Slow']));
      }, 100);
    });
    const polite = createFeedPoller({
      allowPrivateNetwork: true,
      timeoutMs: 5_000,
      maxBodyBytes: 100_000,
      perHostConcurrency: 1,
    });
    const hosts = [`127.0.0.1:${server.port}`, `localhost:${server.port}`];

    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        polite.poll({
          feed: { url: `http://${hosts[index % 2]}/slow-two-hosts?n=${index}`, tags: [] },
          previous: {},
        }),
      ),
    );

    expect(peak).toBe(2);
  });
});

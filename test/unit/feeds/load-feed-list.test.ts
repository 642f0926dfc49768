import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedListError, loadFeedList } from '#shared/feeds/load-feed-list.ts';

const fixtures = resolve(import.meta.dirname, '../../fixtures/feeds');

describe('loadFeedList', () => {
  it('loads a JSON list and drops duplicate URLs', async () => {
    const feeds = await loadFeedList(resolve(fixtures, 'feeds-valid.json'));

    expect(feeds).toEqual([
      { url: 'https://example.org/a.xml', name: 'A', tags: ['world'] },
      { url: 'https://example.org/b.xml', tags: [] },
    ]);
  });

  it('names the file and the bad entry', async () => {
    const file = resolve(fixtures, 'feeds-bad-url.json');

    const error = await loadFeedList(file).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(FeedListError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('feeds[3].url: must be an http or https URL');
  });

  it('loads nested OPML outlines, with folder names as tags and duplicates dropped', async () => {
    const feeds = await loadFeedList(resolve(fixtures, 'subscriptions.opml'));

    expect(feeds).toEqual([
      { url: 'https://example.org/world.xml', name: 'Example World', tags: ['World'] },
      { url: 'https://example.org/deep.xml', name: 'Deep Feed', tags: ['World', 'Nested'] },
      { url: 'https://example.org/top.xml', name: 'Top level', tags: [] },
    ]);
  });

  it('rejects a file that is neither JSON nor OPML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feed-list-'));
    const file = join(dir, 'feeds.txt');
    writeFileSync(file, 'https://example.org/feed.xml\n');

    await expect(loadFeedList(file)).rejects.toThrow(
      /neither a JSON feed list nor an OPML document/,
    );
  });

  it('reports a missing file as a FeedListError', async () => {
    await expect(loadFeedList('/nonexistent/feeds.json')).rejects.toBeInstanceOf(FeedListError);
  });

  it('rejects an empty list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feed-list-'));
    const file = join(dir, 'feeds.json');
    writeFileSync(file, '{"feeds": []}');

    await expect(loadFeedList(file)).rejects.toThrow(/the feed list is empty/);
  });

  it('cleans names and tags of escape sequences and format characters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feed-list-'));
    const json = join(dir, 'feeds.json');
    const opml = join(dir, 'feeds.opml');
    writeFileSync(
      json,
      JSON.stringify({
        feeds: [
          {
            url: 'https://example.org/a.xml',
            name: '\u001B]0;pwned\u0007Evil\u202ENews',
            tags: ['\u001B[31mred'],
          },
        ],
      }),
    );
    writeFileSync(
      opml,
      '<opml><body><outline text="&#x1B;[2JWorld&#x2066;"><outline text="\u001B]2;x\u0007Evil\u202ENews" xmlUrl="https://example.org/a.xml"/><outline text="\u202E" xmlUrl="https://example.org/b.xml"/></outline></body></opml>',
    );

    expect(await loadFeedList(json)).toEqual([
      { url: 'https://example.org/a.xml', name: 'EvilNews', tags: ['red'] },
    ]);
    expect(await loadFeedList(opml)).toEqual([
      { url: 'https://example.org/a.xml', name: 'EvilNews', tags: ['World'] },
      { url: 'https://example.org/b.xml', tags: ['World'] },
    ]);
  });

  it('refuses a URL with control or format characters, naming the entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feed-list-'));
    const file = join(dir, 'feeds.json');
    writeFileSync(
      file,
      JSON.stringify({ feeds: [{ url: 'https://example.org/\u001B]0;x\u0007feed.xml' }] }),
    );

    await expect(loadFeedList(file)).rejects.toThrow(
      /feeds\[0\]\.url: must not contain control, format or space characters/,
    );
  });
});

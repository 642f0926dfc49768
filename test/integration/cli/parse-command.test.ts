import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedTestServer, rssDocument } from '../feeds/feed-test-server.ts';
import { jsonLines, repoRoot, runParse } from '../feeds/spawn-parse.ts';

const fixtures = resolve(repoRoot, 'test/fixtures/feeds');
const server = new FeedTestServer();

beforeAll(async () => {
  await server.start();
  server.serve('/feed.xml', rssDocument(['Served story']));
  server.serve('/page', '<html><body>not a feed</body></html>', { 'content-type': 'text/html' });
});
afterAll(() => server.stop());

describe('newswatch parse', () => {
  it('prints one JSON line per input, in order, with feed, items and warnings', async () => {
    const run = await runParse([
      '--json',
      resolve(fixtures, 'rss-091.xml'),
      resolve(fixtures, 'atom.xml'),
    ]);

    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.map((line) => line.source)).toEqual([
      resolve(fixtures, 'rss-091.xml'),
      resolve(fixtures, 'atom.xml'),
    ]);
    expect(lines[0]).toMatchObject({
      feed: { title: 'Example 0.91', link: 'http://example.org/' },
      items: [
        {
          title: 'Old format story',
          link: 'http://example.org/old-story',
          summary: 'Plain summary & more',
        },
      ],
      warnings: [],
    });
    const atomItems = (lines[1]?.items ?? []) as { id: string; published: string }[];
    expect(atomItems[0]).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      published: '2024-05-16T09:00:00.000Z',
    });
  });

  it('reports a failing input as an error line, goes on, and exits 3', async () => {
    const run = await runParse([
      '--json',
      '--allow-private-network',
      server.url('/page'),
      resolve(fixtures, 'missing.xml'),
      server.url('/feed.xml'),
    ]);

    expect(run.code).toBe(3);
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toMatchObject({ source: server.url('/page'), error: { code: 'NOT_A_FEED' } });
    expect(lines[1]).toMatchObject({ error: { code: 'UNREADABLE' } });
    expect(lines[2]).toMatchObject({ items: [{ title: 'Served story' }] });
  });

  it('refuses a loopback URL without --allow-private-network', async () => {
    const run = await runParse(['--json', server.url('/feed.xml')]);

    expect(run.code).toBe(3);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ error: { code: 'SSRF_BLOCKED' } });
  });

  it('prints a readable listing without --json', async () => {
    const run = await runParse([resolve(fixtures, 'rss-10-rdf.xml')]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('feed: Example RDF <http://example.org/>');
    expect(run.stdout).toContain('1 item(s)');
    expect(run.stdout).toContain('2024-05-16 06:30  RDF story');
  });

  it('exits 2 on an unknown option', async () => {
    const run = await runParse(['--no-such-option', resolve(fixtures, 'atom.xml')]);

    expect(run.code).toBe(2);
  });
});

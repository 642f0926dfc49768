import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import { SAMPLE_PROFILE } from '../../fixtures/api/api-test-data.ts';
import { type RemoteApi, startRemoteApi } from '../support/remote-api.ts';
import { STAND_IN_SIGNED_ENV } from '../support/signed-api-stand-in.ts';
import { runCli, startCli, waitForOutput } from './cli-harness.ts';

const SEED_FEED = 'https://seed.example.com/rss.xml';
const ADDED_FEED = 'https://wire.example.org/world.xml';

let work: string;
let seedFile: string;

/** A data folder of its own: a store that never held a feed list. */
function freshData(): string {
  return mkdtempSync(join(work, 'data-'));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'newswatch-feeds-cli-'));
  seedFile = join(work, 'feeds.json');
  writeFileSync(
    seedFile,
    JSON.stringify({ feeds: [{ url: SEED_FEED, name: 'Seed Times', tags: ['seed'] }] }),
  );
});

describe('newswatch feeds on the local store', () => {
  it('seeds a fresh store from the feed list file, then keeps its own list', async () => {
    const data = freshData();
    const listed = await runCli(['feeds', 'list', '--data', data, '--feeds', seedFile]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^[0-9a-f]{16} {2}new {14}Seed Times\n {6}https:\/\/seed\.example\.com\/rss\.xml {2}tags: seed\n$/,
    );

    const added = await runCli([
      'feeds',
      'add',
      ADDED_FEED,
      '--name',
      'World\u001b[31m Wire',
      '--tag',
      'world',
      '--tag',
      'wire',
      '--data',
      data,
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    // The escape sequence in the name never reaches the store or the terminal.
    expect(added.stdout).toMatch(/^added [0-9a-f]{16} {2}World Wire\n$/);

    // Another feed list file no longer matters: the store holds a list.
    const json = await runCli([
      'feeds',
      'list',
      '--json',
      '--data',
      data,
      '--feeds',
      join(work, 'none.json'),
    ]);
    expect(json.code).toBe(0);
    const items = JSON.parse(json.stdout).items as {
      url: string;
      tags: string[];
      status: string;
    }[];
    expect(items.map((item) => [item.url, item.tags, item.status])).toEqual([
      [SEED_FEED, ['seed'], 'new'],
      [ADDED_FEED, ['world', 'wire'], 'new'],
    ]);

    const removed = await runCli(['feeds', 'remove', SEED_FEED, '--data', data]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`removed `);
    const after = JSON.parse((await runCli(['feeds', 'list', '--json', '--data', data])).stdout);
    expect(after.items.map((item: { url: string }) => item.url)).toEqual([ADDED_FEED]);
  });

  it('refuses bad input with exit 2 and a duplicate or unknown feed with exit 3, naming each', async () => {
    const data = freshData();
    const seed = ['--data', data, '--feeds', seedFile];

    const duplicate = await runCli([
      'feeds',
      'add',
      'https://SEED.example.com/rss.xml?utm_source=x',
      ...seed,
    ]);
    expect(duplicate.code).toBe(3);
    expect(duplicate.stderr).toContain('already holds');

    const private_ = await runCli(['feeds', 'add', 'http://10.1.2.3/feed.xml', ...seed]);
    expect(private_.code).toBe(2);
    expect(private_.stderr).toMatch(/^newswatch: url: 10\.1\.2\.3 is a non-public address/);

    const notHttp = await runCli(['feeds', 'add', 'file:///etc/passwd', ...seed]);
    expect(notHttp.code).toBe(2);
    expect(notHttp.stderr).toContain('url: must be an http or https URL');

    const unknown = await runCli(['feeds', 'remove', 'https://nowhere.example.com/feed', ...seed]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no feed in the list');

    const allowed = await runCli([
      'feeds',
      'add',
      'http://127.0.0.1:9/feed.xml',
      '--allow-private-network',
      ...seed,
    ]);
    expect(allowed.code).toBe(0);
  });

  it('exports OPML that imports as the same list, and reports the feeds an import refused', async () => {
    const from = freshData();
    await runCli([
      'feeds',
      'add',
      ADDED_FEED,
      '--tag',
      'world',
      '--data',
      from,
      '--feeds',
      seedFile,
    ]);
    const exported = await runCli(['feeds', 'export', '--data', from]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('<opml version="2.0">');
    const opml = join(work, 'exported.opml');
    writeFileSync(
      opml,
      exported.stdout.replace(
        '</body>',
        '<outline text="Intranet" xmlUrl="http://192.168.1.5/rss"/>\n  </body>',
      ),
    );

    const to = freshData();
    await runCli(['feeds', 'list', '--data', to, '--feeds', seedFile]);
    const imported = await runCli(['feeds', 'import', opml, '--data', to]);
    expect(imported.stdout).toBe('imported 1 feeds; 1 already listed, 1 refused\n');
    expect(imported.stderr).toContain(
      'refused http://192.168.1.5/rss: url: 192.168.1.5 is a non-public address',
    );
    expect(imported.code).toBe(3);
    const [source, target] = await Promise.all(
      [from, to].map(async (data) =>
        JSON.parse((await runCli(['feeds', 'list', '--json', '--data', data])).stdout).items.map(
          (item: { url: string; tags: string[] }) => [item.url, item.tags],
        ),
      ),
    );
    expect(target).toEqual(source);
  });

  it('makes newswatch run sweep the stored list, edits included, and say when --feeds no longer counts', async () => {
    const data = freshData();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => `http://127.0.0.1:9/${name}.xml`) as [
      string,
      string,
      string,
    ];
    const loopback = join(work, 'loopback.json');
    writeFileSync(loopback, JSON.stringify({ feeds: [{ url: a }, { url: b }] }));
    const sweep = async (): Promise<{ feeds: number; failed: string[] }> => {
      const run = await runCli([
        'run',
        '--json',
        '--data',
        data,
        '--feeds',
        loopback,
        '--allow-private-network',
      ]);
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout) as { feeds: number; failed: { url: string }[] };
      return { feeds: summary.feeds, failed: summary.failed.map((feed) => feed.url).sort() };
    };

    expect(await sweep()).toEqual({ feeds: 2, failed: [a, b] });
    await runCli(['feeds', 'remove', a, '--data', data]);
    await runCli(['feeds', 'add', c, '--allow-private-network', '--data', data]);
    // b failed a moment ago and backs off; the new c is polled, the removed a is not.
    expect(await sweep()).toEqual({ feeds: 2, failed: [c] });

    const other = await runCli([
      'run',
      '--json',
      '--data',
      data,
      '--feeds',
      seedFile,
      '--allow-private-network',
    ]);
    expect(other.stderr).toContain('already holds a feed list (2 feeds), which wins over --feeds');
    expect(JSON.parse(other.stdout).feeds).toBe(2);
  });

  it('names a feed list file it cannot import (exit 2)', async () => {
    const result = await runCli([
      'feeds',
      'import',
      join(work, 'missing.opml'),
      '--data',
      freshData(),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.opml');
  });
});

describe('newswatch feeds --remote', () => {
  let api: RemoteApi;

  beforeAll(async () => {
    api = await startRemoteApi((store) =>
      createApiRouter({ store, profile: () => SAMPLE_PROFILE }),
    );
  });
  afterAll(() => api?.close());

  it('adds, lists and removes deployed feeds with signed requests, printing what the local command prints', async () => {
    const remote = ['--remote', api.url];
    const local = ['--data', freshData(), '--feeds', seedFile];
    for (const where of [remote, local]) {
      if (where === remote) {
        const seeded = await runCli(
          ['feeds', 'add', SEED_FEED, '--name', 'Seed Times', '--tag', 'seed', ...where],
          { env: STAND_IN_SIGNED_ENV },
        );
        expect(seeded.code).toBe(0);
      }
      const added = await runCli(['feeds', 'add', ADDED_FEED, '--name', 'World Wire', ...where], {
        env: STAND_IN_SIGNED_ENV,
      });
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
    }
    const remoteList = await runCli(['feeds', 'list', ...remote], { env: STAND_IN_SIGNED_ENV });
    const localList = await runCli(['feeds', 'list', ...local]);
    expect(remoteList.code).toBe(0);
    expect(remoteList.stdout).toContain('World Wire');
    expect(remoteList.stdout).toBe(localList.stdout);

    const duplicate = await runCli(['feeds', 'add', `${ADDED_FEED}#top`, ...remote], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(duplicate.code).toBe(3);
    expect(duplicate.stderr).toContain('already holds');
    const blocked = await runCli(['feeds', 'add', 'http://169.254.169.254/latest', ...remote], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain('url: 169.254.169.254 is a non-public address');

    const removed = await runCli(['feeds', 'remove', ADDED_FEED, ...remote], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(removed.code).toBe(0);
    const gone = await runCli(['feeds', 'remove', ADDED_FEED, ...remote], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(gone.code).toBe(3);
    const exported = await runCli(['feeds', 'export', ...remote], { env: STAND_IN_SIGNED_ENV });
    expect(exported.stdout).toContain(`xmlUrl="${SEED_FEED}"`);
    expect(exported.stdout).not.toContain(ADDED_FEED);

    // Every request, the bodies of the POSTs included, carried a signature that verified.
    expect(api.verdicts.length).toBeGreaterThan(8);
    expect(api.verdicts.every((verdict) => verdict.verified)).toBe(true);
  });

  it('forwards feed edits through serve --remote, signed, and refuses a cross-site text/plain post', async () => {
    const child = startCli(['serve', '--remote', api.url, '--port', '0'], STAND_IN_SIGNED_ENV);
    try {
      const [, local] = await waitForOutput(child, /listening on (http:\/\/\S+)/);
      const url = 'https://forwarded.example.net/rss';
      const before = api.verdicts.length;
      const simple = await fetch(`${local}/feeds`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ url }),
      });
      expect(simple.status).toBe(415);
      expect(api.verdicts.length).toBe(before);

      const added = await fetch(`${local}/feeds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, tags: ['fwd'] }),
      });
      expect(added.status).toBe(201);
      const feed = (await added.json()) as { feedId: string; tags: string[] };
      expect(feed.tags).toEqual(['fwd']);
      expect(api.verdicts.at(-1)).toMatchObject({ verified: true });
      const removed = await fetch(`${local}/feeds/${feed.feedId}`, { method: 'DELETE' });
      expect(removed.status).toBe(204);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('reports a body signature that does not verify as refused access', async () => {
    const result = await runCli(['feeds', 'add', ADDED_FEED, '--remote', api.url], {
      env: { ...STAND_IN_SIGNED_ENV, AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused these credentials (HTTP 403)');
  });
});

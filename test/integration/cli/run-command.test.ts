import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, runCli, startFeedServer } from './cli-harness.ts';

let server: FeedServer;
let workDir: string;

beforeAll(async () => {
  server = await startFeedServer();
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-run-'));
});
afterAll(async () => {
  await server.close();
});

function feedList(name: string, urls: string[]): string {
  const file = join(workDir, name);
  writeFileSync(file, JSON.stringify({ feeds: urls.map((url) => ({ url })) }));
  return file;
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as { port: number };
  await new Promise((closed) => probe.close(closed));
  return `http://127.0.0.1:${port}/gone.xml`;
}

describe('newswatch run', () => {
  it('sweeps feeds on 127.0.0.1, prints the summary object, and finds nothing new the second time', async () => {
    const feeds = feedList('feeds.json', [server.url('world.xml'), server.url('business.xml')]);
    const data = join(workDir, 'data');
    const args = ['run', '--feeds', feeds, '--data', data, '--json', '--allow-private-network'];

    const first = await runCli(args);
    const second = await runCli(args);

    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'feeds',
        'fetched',
        'notModified',
        'failed',
        'items',
        'newItems',
        'matches',
        'alerts',
      ]),
    );
    expect(summary).toMatchObject({
      feeds: 2,
      fetched: 2,
      notModified: 0,
      failed: [],
      items: 5,
      newItems: 5,
    });
    expect(summary.matches).toBeGreaterThanOrEqual(1);
    expect(summary.alerts).toBeGreaterThanOrEqual(1);

    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      feeds: 2,
      fetched: 0,
      notModified: 2,
      newItems: 0,
      matches: 0,
      alerts: 0,
    });
  });

  it('writes each alert as a JSON line under the data folder', async () => {
    const feeds = feedList('alerts.json', [server.url('world.xml')]);
    const data = join(workDir, 'alerts-data');

    const result = await runCli([
      'run',
      '--feeds',
      feeds,
      '--data',
      data,
      '--json',
      '--allow-private-network',
    ]);

    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(join(data, 'alerts.jsonl'), 'utf8').trim().split('\n');
    const alert = JSON.parse(lines[0] ?? '{}');
    expect(alert).toMatchObject({
      storyId: expect.any(String),
      matchId: expect.any(String),
      title: expect.any(String),
    });
    expect(alert.score).toBeGreaterThan(0);
  });

  it('reports a feed that cannot be reached and still sweeps the others', async () => {
    const unreachable = await closedPortUrl();
    const feeds = feedList('partial.json', [unreachable, server.url('world.xml')]);

    const result = await runCli([
      'run',
      '--feeds',
      feeds,
      '--data',
      join(workDir, 'partial'),
      '--json',
      '--allow-private-network',
    ]);

    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.fetched).toBe(1);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0].url).toBe(unreachable);
    expect(summary.failed[0].error).toMatch(/NETWORK|TIMEOUT/);
  });

  it('refuses feeds on loopback unless private networks are allowed', async () => {
    const feeds = feedList('guarded.json', [server.url('world.xml')]);

    const result = await runCli([
      'run',
      '--feeds',
      feeds,
      '--data',
      join(workDir, 'guarded'),
      '--json',
    ]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).failed[0].error).toMatch(/SSRF_BLOCKED/);
  });

  it('shows progress per feed on the terminal without --json', async () => {
    const feeds = feedList('progress.json', [server.url('world.xml')]);

    const result = await runCli([
      'run',
      '--feeds',
      feeds,
      '--data',
      join(workDir, 'progress'),
      '--allow-private-network',
    ]);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\[1\/1\] ✓ .*3 items, 3 new/);
    expect(result.stdout).toMatch(/Sweep done/);
  });

  it('exits 2 and names the entry when the feed list is bad', async () => {
    const bad = join(workDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ feeds: [{ url: 'ftp://example.com/feed' }] }));

    const result = await runCli(['run', '--feeds', bad, '--data', join(workDir, 'bad')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/feeds\[0\]\.url/);
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runCli(['run', '--bogus']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
  });
});

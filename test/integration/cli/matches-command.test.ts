import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, runCli, startFeedServer } from './cli-harness.ts';

let server: FeedServer;
let data: string;

beforeAll(async () => {
  server = await startFeedServer();
  const workDir = mkdtempSync(join(tmpdir(), 'newswatch-matches-'));
  data = join(workDir, 'data');
  const feeds = join(workDir, 'feeds.json');
  writeFileSync(
    feeds,
    JSON.stringify({ feeds: [{ url: server.url('world.xml'), name: 'Fixture World' }] }),
  );
  const run = await runCli([
    'run',
    '--feeds',
    feeds,
    '--data',
    data,
    '--json',
    '--allow-private-network',
  ]);
  if (run.code !== 0) throw new Error(`setup sweep failed: ${run.stderr}`);
});
afterAll(async () => {
  await server.close();
});

describe('newswatch matches', () => {
  it('prints stored matches newest first with the fields of the API', async () => {
    const result = await runCli(['matches', '--data', data, '--json']);

    expect(result.code, result.stderr).toBe(0);
    const { items } = JSON.parse(result.stdout);
    expect(items.length).toBeGreaterThanOrEqual(1);
    for (const field of [
      'id',
      'title',
      'link',
      'feed',
      'published',
      'score',
      'facets',
      'terms',
      'storyId',
      'alsoReportedBy',
      'alerted',
    ]) {
      expect(items[0]).toHaveProperty(field);
    }
    expect(items[0].feed).toBe('Fixture World');
    const stored = items.map((item: { storedAt: string }) => item.storedAt);
    expect([...stored].sort().reverse()).toEqual(stored);
  });

  it('applies --limit and --min-score', async () => {
    const limited = JSON.parse(
      (await runCli(['matches', '--data', data, '--json', '--limit', '1'])).stdout,
    );
    const strict = JSON.parse(
      (await runCli(['matches', '--data', data, '--json', '--min-score', '1'])).stdout,
    );

    expect(limited.items).toHaveLength(1);
    expect(strict.items.every((item: { score: number }) => item.score >= 1)).toBe(true);
  });

  it('applies --lang to the language newswatch read each match in', async () => {
    const all = JSON.parse((await runCli(['matches', '--data', data, '--json'])).stdout);
    const english = JSON.parse(
      (await runCli(['matches', '--data', data, '--json', '--lang', 'EN'])).stdout,
    );
    const russian = JSON.parse(
      (await runCli(['matches', '--data', data, '--json', '--lang', 'ru'])).stdout,
    );

    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((item: { lang?: string }) => item.lang === 'en')).toBe(true);
    expect(english.items).toHaveLength(all.items.length);
    expect(russian.items).toEqual([]);
  });

  it('prints a readable listing without --json', async () => {
    const result = await runCli(['matches', '--data', data]);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d\.\d\d {2}\d{4}-\d\d-\d\d .* Fixture World: /m);
    expect(result.stdout).toMatch(/facets: .* {2}language: en$/m);
  });

  it('exits 2 and names the option when a value is bad', async () => {
    const score = await runCli(['matches', '--data', data, '--min-score', '2']);
    const since = await runCli(['matches', '--data', data, '--since', 'yesterday']);
    const lang = await runCli(['matches', '--data', data, '--lang', 'russian']);

    expect(score.code).toBe(2);
    expect(score.stderr).toMatch(/--min-score/);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since/);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toMatch(/--lang/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDLESS, EndlessServer } from '../feeds/endless-server.ts';
import { runCli } from './cli-harness.ts';

const TIMEOUT_MS = 2_000;
/** Far past what the commands need with every fetch cut at its deadline; they never end without. */
const KILL_AFTER_MS = 20_000;

const server = new EndlessServer();
let workDir: string;
let config: string;

beforeAll(async () => {
  await server.start();
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-hostile-'));
  config = join(workDir, 'newswatch.config.json');
  writeFileSync(config, JSON.stringify({ fetch: { timeoutMs: TIMEOUT_MS } }));
});
afterAll(() => server.stop());

const endlessUrls = () => Object.values(ENDLESS).map((path) => server.url(path));

describe('commands against servers whose bodies never end', () => {
  it('newswatch run sweeps them all and exits', async () => {
    const feeds = join(workDir, 'feeds.json');
    writeFileSync(feeds, JSON.stringify({ feeds: endlessUrls().map((url) => ({ url })) }));
    const args = ['run', '--feeds', feeds, '--data', join(workDir, 'data'), '--json'];

    const result = await runCli([...args, '--config', config, '--allow-private-network'], {
      killAfterMs: KILL_AFTER_MS,
    });

    expect(result.code, `still running after ${KILL_AFTER_MS} ms: ${result.stderr}`).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ feeds: 7, fetched: 1, notModified: 1 });
    expect(summary.failed).toHaveLength(5);
  });

  it('newswatch parse reads each URL and exits', async () => {
    const args = ['parse', '--json', '--config', config, '--allow-private-network'];

    const result = await runCli([...args, ...endlessUrls()], { killAfterMs: KILL_AFTER_MS });

    expect(result.code, `still running after ${KILL_AFTER_MS} ms: ${result.stderr}`).toBe(3);
    const codes = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).error?.code ?? 'parsed');
    expect(codes).toEqual([
      'HTTP_STATUS',
      'parsed',
      'parsed',
      'HTTP_STATUS',
      'NOT_A_FEED',
      'TOO_LARGE',
      'TIMEOUT',
    ]);
  });
});

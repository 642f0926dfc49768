import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FeedServer,
  runCli,
  startCli,
  startFeedServer,
  waitForOutput,
} from './cli-harness.ts';

let server: FeedServer;
let workDir: string;

beforeAll(async () => {
  server = await startFeedServer();
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-start-'));
});
afterAll(async () => {
  await server.close();
});

describe('newswatch start', () => {
  it('sweeps at once, serves the API on localhost, lets other commands read its store, and stops on Ctrl-C', async () => {
    const feeds = join(workDir, 'feeds.json');
    const data = join(workDir, 'data');
    writeFileSync(feeds, JSON.stringify({ feeds: [{ url: server.url('world.xml') }] }));
    const monitor = startCli([
      'start',
      '--feeds',
      feeds,
      '--data',
      data,
      '--port',
      '0',
      '--interval',
      '60',
      '--allow-private-network',
    ]);
    try {
      const [, url] = await waitForOutput(monitor, /listening on (http:\/\/localhost:\d+)/);
      await waitForOutput(monitor, /Sweep done/);

      const response = await fetch(`${url}/matches`);
      const body = (await response.json()) as { items: unknown[] };
      const fromCli = await runCli(['matches', '--data', data, '--json']);

      expect(response.status).toBe(200);
      expect(body.items.length).toBeGreaterThanOrEqual(1);
      expect(fromCli.code, fromCli.stderr).toBe(0);
      expect(JSON.parse(fromCli.stdout).items).toHaveLength(body.items.length);
    } finally {
      monitor.kill('SIGINT');
    }
    const code = await new Promise((exited) => monitor.on('exit', exited));
    expect(code).toBe(0);
    expect(monitor.output()).toMatch(/stopped/);
  });

  it('exits 2 with a clear message when --interval is not a number', async () => {
    const result = await runCli(['start', '--interval', 'soon', '--data', join(workDir, 'x')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--interval: expected a whole number/);
  });
});

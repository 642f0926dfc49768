import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FeedServer,
  runCli,
  startCli,
  startFeedServer,
  waitForOutput,
} from './cli-harness.ts';

let feeds: FeedServer;
let workDir: string;

beforeAll(async () => {
  feeds = await startFeedServer();
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-serve-'));
});
afterAll(async () => {
  await feeds.close();
});

async function stopped(child: ReturnType<typeof startCli>): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((exited) => child.on('exit', (code) => exited(code)));
}

describe('newswatch serve', () => {
  it('serves the matches a sweep stored, on localhost, and stops cleanly on Ctrl-C', async () => {
    const list = join(workDir, 'feeds.json');
    const data = join(workDir, 'swept');
    writeFileSync(list, JSON.stringify({ feeds: [{ url: feeds.url('world.xml') }] }));
    const sweep = await runCli([
      'run',
      '--feeds',
      list,
      '--data',
      data,
      '--json',
      '--allow-private-network',
    ]);
    expect(sweep.code, sweep.stderr).toBe(0);
    const stored = JSON.parse(sweep.stdout).matches as number;
    expect(stored).toBeGreaterThan(0);

    const serving = startCli(['serve', '--port', '0', '--data', data]);
    let code: number | null;
    try {
      const [, url] = await waitForOutput(
        serving,
        /newswatch API listening on (http:\/\/localhost:\d+)/,
      );

      const matches = await fetch(`${url}/matches`);
      const feedList = await fetch(`${url}/feeds`);
      const profile = await fetch(`${url}/profile`);

      expect(matches.status).toBe(200);
      expect(((await matches.json()) as { items: unknown[] }).items).toHaveLength(stored);
      expect(((await feedList.json()) as { items: unknown[] }).items).toEqual([
        expect.objectContaining({ url: feeds.url('world.xml'), status: 'ok' }),
      ]);
      expect(((await profile.json()) as { version: unknown }).version).toEqual(expect.any(String));

      // The web page comes from the same server, under its own Content-Security-Policy.
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toContain('<script type="module" src="/web/app.js">');
      const stories = await fetch(`${url}/stories`);
      expect(((await stories.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    } finally {
      serving.kill('SIGINT');
      code = await stopped(serving);
    }

    expect(code, serving.output()).toBe(0);
    expect(serving.output()).toMatch(/stopped/);
  });

  it('lets another command read the store while it serves', async () => {
    const data = join(workDir, 'shared');
    const serving = startCli(['serve', '--port', '0', '--data', data]);
    try {
      await waitForOutput(serving, /listening on/);

      const listed = await runCli(['matches', '--data', data, '--json']);

      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual({ items: [] });
    } finally {
      serving.kill('SIGTERM');
    }
    expect(await stopped(serving)).toBe(0);
  });

  it('refuses to serve beyond loopback without a key, exit 2, saying why', async () => {
    const result = await runCli(
      ['serve', '--host', '0.0.0.0', '--port', '0', '--data', join(workDir, 'exposed')],
      {
        env: { NEWSWATCH_API_KEY: '' },
      },
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to serve on 0\.0\.0\.0 without an API key/);
    expect(result.stderr).toMatch(/NEWSWATCH_API_KEY/);
  });

  it.each(['serve', 'start'])(
    'says in `%s --help` what it binds and when it refuses',
    async (command) => {
      const result = await runCli([command, '--help']);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/--host <address>/);
      expect(result.stdout.replace(/\s+/g, ' ')).toMatch(
        /default: 127\.0\.0\.1, this machine only; any other address needs NEWSWATCH_API_KEY and is refused without it/,
      );
    },
  );

  it('advertises its store to the user alone, and the store lets in only those who read it', async () => {
    const data = join(workDir, 'private');
    mkdirSync(data);
    // What an older version left behind: a world-readable address of a long-gone process.
    writeFileSync(
      join(data, 'store.json'),
      JSON.stringify({ endpoint: 'http://127.0.0.1:1', pid: 2 ** 22 + 1 }),
    );
    chmodSync(join(data, 'store.json'), 0o644);
    writeFileSync(join(data, 'cursor-secret'), 'a'.repeat(64));
    chmodSync(join(data, 'cursor-secret'), 0o644);
    const serving = startCli(['serve', '--port', '0', '--data', data]);
    try {
      await waitForOutput(serving, /listening on/);
      const file = join(data, 'store.json');
      const advertised = JSON.parse(readFileSync(file, 'utf8')) as {
        endpoint: string;
        credentials: { accessKeyId: string; secretAccessKey: string };
      };
      const client = (credentials: typeof advertised.credentials) =>
        new DynamoDBClient({
          endpoint: advertised.endpoint,
          region: 'local',
          credentials,
          maxAttempts: 1,
        });

      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(data, 'cursor-secret')).mode & 0o777).toBe(0o600);
      await expect(
        client({ accessKeyId: 'local', secretAccessKey: 'local' }).send(new ListTablesCommand({})),
      ).rejects.toThrow(/not signed with this store's credentials/);
      const preflight = await fetch(advertised.endpoint, {
        method: 'OPTIONS',
        headers: { origin: 'https://attacker.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const tables = await client(advertised.credentials).send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual(['newswatch']);
      const listed = await runCli(['matches', '--data', data, '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual({ items: [] });
    } finally {
      serving.kill('SIGTERM');
    }
    expect(await stopped(serving)).toBe(0);
  });

  it('exits 2 naming --port when the port is not a number', async () => {
    const result = await runCli(['serve', '--port', 'eighty', '--data', join(workDir, 'unused')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port: expected a whole number from 0 to 65535/);
  });
});

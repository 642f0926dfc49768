import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/project-root.ts';

const cacheDir = resolve(PROJECT_ROOT, 'node_modules/.cache/newswatch-infra');
mkdirSync(cacheDir, { recursive: true });
const outdir = mkdtempSync(join(cacheDir, 'cli-'));

describe('npx cdk synth', () => {
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes both stacks offline with the cdk.json app, bundling and the cdk-nag plugin', () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('NEWSWATCH_')),
    );
    const run = spawnSync(
      resolve(PROJECT_ROOT, 'node_modules/.bin/cdk'),
      ['synth', '--quiet', '--no-notices', '--output', outdir],
      { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 240_000 },
    );
    expect(run.stderr).not.toMatch(/Validation failed/);
    expect(run.status).toBe(0);
    for (const stack of ['NewswatchStorage', 'NewswatchService']) {
      expect(existsSync(join(outdir, `${stack}.template.json`)), stack).toBe(true);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/project-root.ts';

const cacheDir = resolve(PROJECT_ROOT, 'node_modules/.cache/newswatch-infra');
mkdirSync(cacheDir, { recursive: true });
const outdir = mkdtempSync(join(cacheDir, 'cli-'));

/** Every `npx cdk deploy` line of the README's and docs/deploy.md's shell blocks, comments cut. */
function deployCommands(): string[] {
  const lines = ['README.md', 'docs/deploy.md'].flatMap((file) =>
    readFileSync(resolve(PROJECT_ROOT, file), 'utf8').split('\n'),
  );
  return [
    ...new Set(
      lines
        .map((line) => line.replace(/#.*$/, '').trim())
        .filter((line) => line.startsWith('npx cdk deploy')),
    ),
  ];
}

/** No credentials from the environment, the shared files or an instance role. */
const WITHOUT_AWS_CREDENTIALS = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('AWS_') && !name.startsWith('NEWSWATCH_'),
    ),
  ),
  AWS_CONFIG_FILE: '/nonexistent/newswatch-test-aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/newswatch-test-aws-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
};

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

  it.each(deployCommands())('runs `%s` from the docs as written up to the AWS account', (line) => {
    // The synthesized app stands in for the synth the command would run; with no credentials
    // anywhere, the CLI stops at the account, after it has selected the stacks to deploy.
    const args = line.replace(/^npx cdk /, '').split(/\s+/);
    const run = spawnSync(
      resolve(PROJECT_ROOT, 'node_modules/.bin/cdk'),
      [...args, '--app', outdir, '--no-notices', '--require-approval', 'never'],
      { cwd: PROJECT_ROOT, env: WITHOUT_AWS_CREDENTIALS, encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${run.stdout}${run.stderr}`;
    expect(output).not.toMatch(/specify which stacks/);
    expect(output).toMatch(/Unable to resolve AWS account/);
  });
});

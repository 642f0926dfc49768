import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import { createProfileSource } from '#shared/profile/profile-in-use.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { matchSet, storeMatches } from '../api/api-fixtures.ts';
import { type RemoteApi, startRemoteApi } from '../support/remote-api.ts';
import { STAND_IN_CALLER, STAND_IN_SIGNED_ENV } from '../support/signed-api-stand-in.ts';
import { REPO_ROOT, runCli, startCli, waitForOutput } from './cli-harness.ts';

const WRONG_SECRET = { ...STAND_IN_SIGNED_ENV, AWS_SECRET_ACCESS_KEY: 'not-the-secret' };
const LABELS = join(REPO_ROOT, 'test/fixtures/profile/graded-items.jsonl');
const SHIPPED = JSON.parse(readFileSync(join(REPO_ROOT, 'seeds/profile.json'), 'utf8'));

let api: RemoteApi;
let store: DynamoDbStore;
let workDir: string;

beforeAll(async () => {
  const seedsDir = resolve(REPO_ROOT, 'seeds');
  api = await startRemoteApi((store) => {
    const profiles = createProfileSource({ profiles: store.profiles, seedsDir });
    return createApiRouter({
      store,
      profile: () => profiles.current(),
      profileVersions: { profiles: store.profiles, seedsDir },
    });
  });
  store = api.store;
  await storeMatches(store, matchSet(12));
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-profile-remote-'));
});
afterAll(() => api?.close());

function overlayFile(name: string, overlay: object): string {
  const file = join(workDir, name);
  writeFileSync(file, JSON.stringify(overlay));
  return file;
}

describe('newswatch profile with --remote', () => {
  it('lists, applies and rolls back the deployed versions, every request signed', async () => {
    const stricter = overlayFile('stricter.json', {
      ...SHIPPED,
      thresholds: { match: 0.6, alert: 0.9 },
    });

    const before = await runCli(['profile', 'versions', '--remote', api.url], {
      env: STAND_IN_SIGNED_ENV,
    });
    const applied = await runCli(
      ['profile', 'apply', '--overlay', stricter, '--note', 'from my laptop', '--remote', api.url],
      { env: STAND_IN_SIGNED_ENV },
    );
    const shown = await runCli(['profile', '--remote', api.url, '--json'], {
      env: STAND_IN_SIGNED_ENV,
    });

    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/^\* +1 .* seeds /);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^profile overlay version 2 is in use/);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      overlayVersion: 2,
      thresholds: { match: 0.6 },
    });
    // The store records who signed the change, as API Gateway tells the function.
    const [latest] = await store.profiles.listProfileVersions();
    expect(latest).toMatchObject({ number: 2, createdBy: STAND_IN_CALLER, note: 'from my laptop' });
    expect(api.verdicts.every((verdict) => verdict.verified)).toBe(true);

    const back = await runCli(['profile', 'rollback', '1', '--remote', api.url], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(back.code, back.stderr).toBe(0);
    expect((await store.profiles.profileInUse())?.number).toBe(1);
  });

  it('backtests against the deployed profile and its stored matches', async () => {
    const silent = overlayFile('silent.json', { ...SHIPPED, must: ['zyzzyva'] });
    const diff = await runCli(
      ['profile', 'diff', '--overlay', silent, '--labels', LABELS, '--remote', api.url, '--json'],
      { env: STAND_IN_SIGNED_ENV },
    );
    expect(diff.code, diff.stderr).toBe(0);
    const report = JSON.parse(diff.stdout);
    expect(report.items).toEqual({ stored: 12, feedback: 0, labels: 6, recent: 0 });
    expect(report.currentOverlayVersion).toBe(1);
    expect(report.totals.proposed.matches).toBe(0);
  });

  it('backtests on the grades stored through the API too, read with a signed GET /feedback', async () => {
    const graded = await runCli(
      [
        'feedback',
        '--url',
        'https://news.example/asia/xi-putin',
        '2',
        '--title',
        'Xi and Putin pledge a no-limits partnership in Moscow',
        '--summary',
        'China and Russia sign energy and trade deals as the war in Ukraine drags on.',
        '--remote',
        api.url,
      ],
      { env: STAND_IN_SIGNED_ENV },
    );
    expect(graded.code, graded.stderr).toBe(0);
    const silent = overlayFile('silent-feedback.json', { ...SHIPPED, must: ['zyzzyva'] });
    const seen = api.verdicts.length;

    const diff = await runCli(
      ['profile', 'diff', '--overlay', silent, '--remote', api.url, '--json'],
      {
        env: STAND_IN_SIGNED_ENV,
      },
    );

    expect(diff.code, diff.stderr).toBe(0);
    const report = JSON.parse(diff.stdout);
    expect(report.items).toEqual({ stored: 12, feedback: 1, labels: 0, recent: 0 });
    expect(report.graded.current.alert.recall).toBe(1);
    expect(report.graded.proposed.match.recall).toBe(0);
    expect(report.broken).toMatchObject([{ source: 'feedback', grade: 2 }]);
    const reads = api.verdicts.slice(seen);
    expect(reads.some((verdict) => verdict.path === '/prod/feedback')).toBe(true);
    expect(reads.every((verdict) => verdict.verified)).toBe(true);
  });

  it('reports a refused overlay with the key the API named, and changes nothing', async () => {
    const bad = overlayFile('bad.json', { thresholds: { alert: 3 } });
    const before = (await store.profiles.listProfileVersions()).length;
    const refused = await runCli(['profile', 'apply', '--overlay', bad, '--remote', api.url], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/HTTP 400: .*overlay\.thresholds\.alert/);
    expect((await store.profiles.listProfileVersions()).length).toBe(before);
  });

  it('changes nothing when the signature does not verify', async () => {
    const before = await store.profiles.profileInUse();
    const refused = await runCli(['profile', 'rollback', '2', '--remote', api.url], {
      env: WRONG_SECRET,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused these credentials \(HTTP 403\)/);
    expect(await store.profiles.profileInUse()).toEqual(before);
  });

  it('forwards a profile change made through serve --remote, body and all, signed', async () => {
    const child = startCli(['serve', '--remote', api.url, '--port', '0'], STAND_IN_SIGNED_ENV);
    try {
      const [, local] = await waitForOutput(child, /listening on (http:\/\/\S+)/);
      const response = await fetch(`${local}/profile/in-use`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: 2 }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { number: number }).number).toBe(2);
      expect(await store.profiles.profileInUse()).toMatchObject({ number: 2, by: STAND_IN_CALLER });
      expect(api.verdicts.at(-1)).toMatchObject({ path: '/prod/profile/in-use', verified: true });
    } finally {
      child.kill('SIGINT');
    }
  });
});

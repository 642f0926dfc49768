import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import { loadProfile, type TopicProfile } from '#shared/profile/load-profile.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { matchSet, storeMatches } from '../api/api-fixtures.ts';
import { type RemoteApi, startRemoteApi } from '../support/remote-api.ts';
import { STAND_IN_SIGNED_ENV } from '../support/signed-api-stand-in.ts';
import { REPO_ROOT, runCli, startCli, waitForOutput } from './cli-harness.ts';

/** The user's AWS setup, as the SDK's default chain reads it: here, the environment alone. */
const NO_CREDENTIALS = {
  ...STAND_IN_SIGNED_ENV,
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
};

let api: RemoteApi;
let matches: Match[];
let profile: TopicProfile;

beforeAll(async () => {
  matches = matchSet(30);
  profile = await loadProfile(resolve(REPO_ROOT, 'seeds'));
  api = await startRemoteApi((store) =>
    createApiRouter({ store, profile: () => profile, corsOrigins: [] }),
  );
  await storeMatches(api.store, matches);
});
afterAll(() => api?.close());

describe('newswatch commands with --remote', () => {
  it('lists the deployed matches, every request signed with the default credential chain', async () => {
    const result = await runCli(['matches', '--remote', api.url, '--limit', '30', '--json'], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { items: { id: string }[] };
    expect(listed.items.map((item) => item.id)).toEqual(matches.map((match) => match.id));
    expect(api.verdicts.at(-1)).toMatchObject({ verified: true });
    expect(api.verdicts.at(-1)?.signedHeaders).toContain('x-amz-security-token');
  });

  it('pages through the API with its cursors for --all, and filters as locally', async () => {
    const result = await runCli(
      ['matches', '--remote', api.url, '--all', '--facet', 'sanctions', '--json'],
      { env: STAND_IN_SIGNED_ENV },
    );
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { items: { id: string }[] };
    expect(listed.items.map((item) => item.id)).toEqual(
      matches.filter((match) => match.facets.includes('sanctions')).map((match) => match.id),
    );
  });

  it('prints the readable listing the local command prints', async () => {
    const result = await runCli(['matches', '--remote', api.url, '--limit', '2'], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(matches[0]?.title);
    expect(result.stdout).toContain('also reported by: ');
  });

  it('shows the profile the deployed functions use', async () => {
    const result = await runCli(['profile', '--remote', api.url, '--json'], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).version).toBe(profile.version);
  });

  it('says which credentials are missing instead of sending an unsigned request', async () => {
    const before = api.verdicts.length;
    const result = await runCli(['matches', '--remote', api.url], { env: NO_CREDENTIALS });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no AWS credentials to sign requests to http:\/\/127\.0\.0\.1/);
    expect(result.stderr).toContain('AWS_PROFILE');
    expect(api.verdicts.length).toBe(before);
  });

  it('reports access refused when the signature does not verify', async () => {
    const result = await runCli(['matches', '--remote', api.url], {
      env: { ...STAND_IN_SIGNED_ENV, AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused these credentials (HTTP 403)');
    expect(result.stderr).toContain('signature we calculated does not match');
    expect(api.verdicts.at(-1)).toMatchObject({ verified: false });
  });

  it('refuses a remote URL it cannot tell the region of, naming --region', async () => {
    const result = await runCli(['matches', '--remote', 'https://news.example/api'], {
      env: { ...STAND_IN_SIGNED_ENV, AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--region');
  });

  it('serves the deployed data on localhost, signing on the caller’s behalf', async () => {
    const child = startCli(['serve', '--remote', api.url, '--port', '0'], STAND_IN_SIGNED_ENV);
    try {
      const [, local] = await waitForOutput(child, /listening on (http:\/\/\S+)/);
      const page = await fetch(`${local}/matches?limit=3`);
      expect(page.status).toBe(200);
      const body = (await page.json()) as { items: { id: string }[]; nextCursor?: string };
      expect(body.items.map((item) => item.id)).toEqual(matches.slice(0, 3).map((m) => m.id));

      const next = await fetch(
        `${local}/matches?limit=3&cursor=${encodeURIComponent(body.nextCursor ?? '')}`,
      );
      expect(((await next.json()) as { items: { id: string }[] }).items[0]?.id).toBe(
        matches[3]?.id,
      );

      const bad = await fetch(`${local}/matches?limit=many`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { errors: { parameter: string }[] }).errors[0]?.parameter).toBe(
        'limit',
      );
      expect(api.verdicts.at(-1)).toMatchObject({ verified: true });
    } finally {
      child.kill('SIGINT');
    }
  });
});

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import { loadProfile, type TopicProfile } from '#shared/profile/load-profile.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { matchSet, storeMatches } from '../api/api-fixtures.ts';
import { type RemoteApi, startRemoteApi } from '../support/remote-api.ts';
import { STAND_IN_SIGNED_ENV } from '../support/signed-api-stand-in.ts';
import { REPO_ROOT, runCli } from './cli-harness.ts';

let api: RemoteApi;
let matches: Match[];
let profile: TopicProfile;

beforeAll(async () => {
  matches = matchSet(3);
  profile = await loadProfile(resolve(REPO_ROOT, 'seeds'));
  api = await startRemoteApi((store) => createApiRouter({ store, profile: () => profile }));
  await storeMatches(api.store, matches);
});
afterAll(() => api?.close());

describe('newswatch feedback and eval with --remote', () => {
  it('grades a deployed match with a signed POST whose body the signature covers', async () => {
    const [first] = matches as [Match];
    const result = await runCli(
      ['feedback', first.id, '2', '--note', 'core', '--remote', api.url, '--json'],
      { env: STAND_IN_SIGNED_ENV },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: first.id, grade: 2, note: 'core' });
    expect(api.verdicts.at(-1)).toMatchObject({ verified: true });
    expect(api.verdicts.at(-1)?.signedHeaders).toContain('content-type');
    expect((await api.store.getFeedback(first.id))?.grade).toBe(2);
  });

  it('says so when the deployed store holds no such match', async () => {
    const result = await runCli(['feedback', 'gone', '1', '--remote', api.url], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('holds no match gone');
  });

  it('reports a miss as given', async () => {
    const result = await runCli(
      [
        'feedback',
        '--url',
        'https://news.example/europe/baltic',
        '1',
        '--title',
        'NATO steps up Baltic patrols after cable cut',
        '--remote',
        api.url,
      ],
      { env: STAND_IN_SIGNED_ENV },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^miss [0-9a-f]{32} graded 1 \(relevant\)/);
  });

  it('scores the deployed graded items with the deployed profile', async () => {
    const result = await runCli(['eval', '--feedback', '--remote', api.url, '--json'], {
      env: STAND_IN_SIGNED_ENV,
    });
    expect(result.code, result.stderr).toBe(0);
    const evaluation = JSON.parse(result.stdout);
    expect(evaluation.items).toBe(2);
    expect(evaluation.profileVersion).toBe(profile.version);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './cli-harness.ts';

const SECOND_TOPIC = join(REPO_ROOT, 'test/fixtures/profile/second-topic');

describe('newswatch profile', () => {
  it('prints the facets, combinations, top terms, thresholds and version of the seeds', async () => {
    const result = await runCli(['profile']);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Topic profile scorer-\d+-[0-9a-f]{12}/);
    expect(result.stdout).toMatch(/Thresholds: match >= [\d.]+, alert >= [\d.]+/);
    expect(result.stdout).toContain('Facets:');
    expect(result.stdout).toContain('Top seed terms and phrases');
  });

  it('prints the profile as JSON with --json', async () => {
    const result = await runCli(['profile', '--json']);

    expect(result.code, result.stderr).toBe(0);
    const profile = JSON.parse(result.stdout);
    expect(profile).toMatchObject({
      version: expect.any(String),
      thresholds: { match: expect.any(Number), alert: expect.any(Number) },
    });
    expect(profile.facets.length).toBeGreaterThan(0);
  });

  it('derives a profile for another topic from the folder given with --seeds', async () => {
    const result = await runCli(['profile', '--seeds', SECOND_TOPIC, '--json']);

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).facets.map((facet: { name: string }) => facet.name)).toEqual([
      'airbus',
      'boeing',
      'theme',
    ]);
  });

  it('exits 2 and names the folder when the seeds folder does not exist', async () => {
    const result = await runCli(['profile', '--seeds', '/no/such/seeds']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/no/such/seeds');
  });

  it('exits 2 and names the file and key when the overlay is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-profile-'));
    writeFileSync(join(dir, 'a.txt'), 'Airbus and Boeing\n\nAirbus and Boeing sell jets.');
    writeFileSync(join(dir, 'profile.json'), JSON.stringify({ thresholds: { alert: 'high' } }));

    const result = await runCli(['profile', '--seeds', dir]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/profile\.json: thresholds\.alert/);
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runCli(['profile', '--colour']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--colour'");
  });
});

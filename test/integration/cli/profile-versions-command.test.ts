import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, REPO_ROOT, runCli, startFeedServer } from './cli-harness.ts';

const LABELS = join(REPO_ROOT, 'test/fixtures/profile/graded-items.jsonl');
const SHIPPED = JSON.parse(readFileSync(join(REPO_ROOT, 'seeds/profile.json'), 'utf8'));

let server: FeedServer;
let workDir: string;

beforeAll(async () => {
  server = await startFeedServer();
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-profile-versions-'));
});
afterAll(async () => {
  await server.close();
});

/** A proposed overlay: the shipped one with other thresholds. */
function overlayFile(name: string, thresholds: { match: number; alert: number }): string {
  const file = join(workDir, name);
  writeFileSync(file, JSON.stringify({ ...SHIPPED, thresholds }));
  return file;
}

function fresh(name: string): string {
  return join(workDir, name);
}

describe('newswatch profile versions, apply and rollback', () => {
  it('starts from the shipped overlay as version 1, and applies and rolls back by command only', async () => {
    const data = fresh('data-apply');
    const stricter = overlayFile('stricter.json', { match: 0.6, alert: 0.9 });

    const before = await runCli(['profile', 'versions', '--data', data]);
    const applied = await runCli([
      'profile',
      'apply',
      '--overlay',
      stricter,
      '--note',
      'fewer matches',
      '--data',
      data,
    ]);
    const listed = await runCli(['profile', 'versions', '--data', data, '--json']);
    const inUse = await runCli(['profile', '--data', data, '--json']);

    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(
      /^\* +1 +\S+ +seeds +scorer-\d+-[0-9a-f]{12} +seeded from profile\.json\n$/,
    );
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^profile overlay version 2 is in use/);
    const versions = JSON.parse(listed.stdout);
    expect(versions.inUse.number).toBe(2);
    expect(versions.items.map((item: { number: number }) => item.number)).toEqual([2, 1]);
    expect(versions.items[0]).toMatchObject({ note: 'fewer matches' });
    expect(JSON.parse(inUse.stdout)).toMatchObject({
      overlayVersion: 2,
      thresholds: { match: 0.6, alert: 0.9 },
      version: versions.items[0].profileVersion,
    });

    const back = await runCli(['profile', 'rollback', '1', '--data', data]);
    const after = await runCli(['profile', '--data', data, '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/^profile overlay version 1 is in use again/);
    expect(JSON.parse(after.stdout).overlayVersion).toBe(1);
    const again = await runCli(['profile', 'apply', '--version', '2', '--data', data]);
    expect(again.stdout).toMatch(/^profile overlay version 2 is in use again/);
  });

  it('sweeps with the version in use: the stored matches carry its profile version', async () => {
    const data = fresh('data-sweep');
    const looser = overlayFile('looser.json', { match: 0.3, alert: 0.8 });
    await runCli(['profile', 'apply', '--overlay', looser, '--data', data]);
    const feeds = join(workDir, 'feeds.json');
    writeFileSync(feeds, JSON.stringify({ feeds: [{ url: server.url('world.xml') }] }));

    const run = await runCli([
      'run',
      '--feeds',
      feeds,
      '--data',
      data,
      '--json',
      '--allow-private-network',
    ]);
    const matches = await runCli(['matches', '--data', data, '--all', '--json']);
    const versions = await runCli(['profile', 'versions', '--data', data, '--json']);

    expect(run.code, run.stderr).toBe(0);
    const stored = JSON.parse(matches.stdout).items as { profileVersion: string }[];
    expect(stored.length).toBeGreaterThan(0);
    const applied = JSON.parse(versions.stdout).items[0].profileVersion;
    expect(new Set(stored.map((match) => match.profileVersion))).toEqual(new Set([applied]));
  });

  it('says so when seeds/profile.json was edited after it was stored, and keeps the version in use', async () => {
    const data = fresh('data-edited');
    const seeds = fresh('seeds-edited');
    cpSync(join(REPO_ROOT, 'seeds'), seeds, { recursive: true });
    const feeds = join(workDir, 'feeds-edited.json');
    writeFileSync(feeds, JSON.stringify({ feeds: [{ url: server.url('business.xml') }] }));
    const args = [
      'run',
      '--feeds',
      feeds,
      '--seeds',
      seeds,
      '--data',
      data,
      '--json',
      '--allow-private-network',
    ];

    const first = await runCli(args);
    writeFileSync(
      join(seeds, 'profile.json'),
      JSON.stringify({ ...SHIPPED, mustNot: ['football'] }),
    );
    const edited = await runCli(args);
    const inUse = await runCli(['profile', 'versions', '--data', data, '--json']);

    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('differs');
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stderr).toContain(
      `note: ${join(seeds, 'profile.json')} differs from the profile overlay in use (version 1)`,
    );
    expect(edited.stderr).toContain('newswatch profile apply --overlay');
    expect(JSON.parse(inUse.stdout).items).toHaveLength(1);
  });

  it('refuses an overlay that does not validate, naming the key, and keeps the version in use', async () => {
    const data = fresh('data-bad');
    const bad = join(workDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ thresholds: { match: 'high' } }));

    const refused = await runCli(['profile', 'apply', '--overlay', bad, '--data', data]);
    const listed = await runCli(['profile', 'versions', '--data', data, '--json']);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/thresholds\.match/);
    expect(JSON.parse(listed.stdout).items).toHaveLength(1);
  });

  it('exits 2 for a version that does not exist and for missing or doubled options', async () => {
    const data = fresh('data-usage');
    const missing = await runCli(['profile', 'rollback', '9', '--data', data]);
    const neither = await runCli(['profile', 'apply', '--data', data]);
    const noProposal = await runCli(['profile', 'diff', '--data', data]);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no profile overlay version 9');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--overlay FILE or --version N');
    expect(noProposal.code).toBe(2);
  });
});

describe('newswatch profile diff', () => {
  it('backtests a proposal on stored matches, graded and recent items, changing nothing', async () => {
    const data = fresh('data-diff');
    const feeds = join(workDir, 'feeds-diff.json');
    writeFileSync(feeds, JSON.stringify({ feeds: [{ url: server.url('world.xml') }] }));
    await runCli(['run', '--feeds', feeds, '--data', data, '--allow-private-network']);
    const recent = join(workDir, 'recent.jsonl');
    writeFileSync(
      recent,
      `${JSON.stringify({ title: 'Lavrov and Wang Yi meet in Beijing on Ukraine' })}\n`,
    );
    // A must term no item has: the proposal scores everything 0.
    const silent = join(workDir, 'silent.json');
    writeFileSync(silent, JSON.stringify({ ...SHIPPED, must: ['zyzzyva'] }));

    const diff = await runCli([
      'profile',
      'diff',
      '--overlay',
      silent,
      '--labels',
      LABELS,
      '--items',
      recent,
      '--data',
      data,
      '--json',
    ]);
    const versions = await runCli(['profile', 'versions', '--data', data, '--json']);

    expect(diff.code, diff.stderr).toBe(0);
    const report = JSON.parse(diff.stdout);
    expect(report.items.labels).toBe(6);
    expect(report.items.feedback).toBe(0);
    expect(report.items.recent).toBe(1);
    expect(report.items.stored).toBeGreaterThan(0);
    expect(report.currentOverlayVersion).toBe(1);
    expect(report.totals.proposed).toEqual({ matches: 0, alerts: 0 });
    expect(report.droppedMatches.length).toBe(report.totals.current.matches);
    expect(report.graded.proposed.match.recall).toBe(0);
    expect(report.graded.current.match.recall).toBeGreaterThan(0);
    expect(JSON.parse(versions.stdout).items).toHaveLength(1);
  });

  it('prints the figures side by side and names each rejected line, exiting 3', async () => {
    const data = fresh('data-diff-text');
    const labels = join(workDir, 'labels-with-a-bad-line.jsonl');
    writeFileSync(
      labels,
      `${readFileSync(LABELS, 'utf8')}{"id": "g-7", "title": "no grade"}\nnot json\n`,
    );
    const lower = overlayFile('lower.json', { match: 0.3, alert: 0.84 });

    const diff = await runCli([
      'profile',
      'diff',
      '--overlay',
      lower,
      '--labels',
      labels,
      '--data',
      data,
    ]);

    expect(diff.code).toBe(3);
    expect(diff.stdout).toMatch(/^current: +scorer-\d+-[0-9a-f]{12} \(overlay version 1\)/);
    expect(diff.stdout).toContain(
      'items: 0 graded by you, 6 from --labels, 0 stored matches, 0 recent',
    );
    expect(diff.stdout).toMatch(
      /match +[\d.]+ [\d.]+ [\d.]+ -> [\d.]+ [\d.]+ [\d.]+ +\(F1 [+-][\d.]+\)/,
    );
    expect(diff.stdout).toContain('newly matched: ');
    expect(diff.stderr).toContain('labels-with-a-bad-line.jsonl:7: grade:');
    expect(diff.stderr).toContain('labels-with-a-bad-line.jsonl:8: not JSON');
  });

  it('with --fetch, polls the feeds now and scores the items the profile in use leaves out', async () => {
    const data = fresh('data-diff-fetch');
    const feeds = join(workDir, 'feeds-fetch.json');
    writeFileSync(
      feeds,
      JSON.stringify({
        feeds: [{ url: server.url('world.xml') }, { url: server.url('gone.xml') }],
      }),
    );
    const everything = join(workDir, 'everything.json');
    writeFileSync(everything, JSON.stringify({ ...SHIPPED, thresholds: { match: 0, alert: 1 } }));

    const diff = await runCli([
      'profile',
      'diff',
      '--overlay',
      everything,
      '--fetch',
      '--feeds',
      feeds,
      '--allow-private-network',
      '--data',
      data,
      '--json',
    ]);

    expect(diff.code).toBe(3);
    expect(diff.stderr).toContain('gone.xml');
    const report = JSON.parse(diff.stdout);
    // world.xml holds two items on the topic (matched now, so left out) and one bakery story.
    expect(report.items).toEqual({ stored: 0, feedback: 0, labels: 0, recent: 1 });
    expect(report.totals.current.matches).toBe(0);
    expect(report.totals.proposed.matches).toBe(report.newlyMatched.length);
  });

  it('backtests new seed files given with --seeds, with the overlay they bring', async () => {
    const data = fresh('data-diff-seeds');
    const seeds = fresh('airliners');
    cpSync(join(REPO_ROOT, 'test/fixtures/profile/second-topic'), seeds, { recursive: true });
    writeFileSync(join(seeds, 'profile.json'), '{}');
    const diff = await runCli([
      'profile',
      'diff',
      '--seeds',
      seeds,
      '--labels',
      LABELS,
      '--data',
      data,
      '--json',
    ]);
    expect(diff.code, diff.stderr).toBe(0);
    const report = JSON.parse(diff.stdout);
    // Airliners instead of Russia and China: the graded Russia-China stories no longer match.
    expect(report.droppedMatches.length).toBeGreaterThan(0);
    expect(report.graded.proposed.match.recall).toBeLessThan(report.graded.current.match.recall);
  });
});

describe('newswatch profile diff on the grades stored with newswatch feedback', () => {
  let data: string;
  let putin: string;
  let lavrov: string;
  let noLavrov: string;

  beforeAll(async () => {
    data = fresh('data-diff-feedback');
    const feeds = join(workDir, 'feeds-diff-feedback.json');
    writeFileSync(feeds, JSON.stringify({ feeds: [{ url: server.url('world.xml') }] }));
    await runCli(['run', '--feeds', feeds, '--data', data, '--allow-private-network']);
    const listed = await runCli(['matches', '--data', data, '--json']);
    const matches = JSON.parse(listed.stdout).items as { id: string; title: string }[];
    const idOf = (word: string) => matches.find((match) => match.title.includes(word))?.id;
    putin = idOf('Putin') as string;
    lavrov = idOf('Lavrov') as string;
    if (!putin || !lavrov) throw new Error('world.xml no longer stores the two expected matches');
    // A proposal that drops the Lavrov story and keeps the other.
    noLavrov = join(workDir, 'no-lavrov.json');
    writeFileSync(
      noLavrov,
      JSON.stringify({ ...SHIPPED, mustNot: [...(SHIPPED.mustNot ?? []), 'lavrov'] }),
    );
  });

  it('shows the feedback figures change once a grade is stored', async () => {
    const diff = (...extra: string[]) =>
      runCli(['profile', 'diff', '--overlay', noLavrov, '--data', data, ...extra]);
    const ungraded = JSON.parse((await diff('--json')).stdout);
    expect(ungraded.items).toEqual({ stored: 2, feedback: 0, labels: 0, recent: 0 });
    expect(ungraded.graded).toBeUndefined();

    expect((await runCli(['feedback', putin, '2', '--data', data])).code).toBe(0);
    expect((await runCli(['feedback', lavrov, '0', '--data', data])).code).toBe(0);
    const graded = await diff('--json');
    const text = await diff();

    expect(graded.code, graded.stderr).toBe(0);
    const report = JSON.parse(graded.stdout);
    // A graded match is scored once, as feedback, not again as a stored match.
    expect(report.items).toEqual({ stored: 0, feedback: 2, labels: 0, recent: 0 });
    expect(report.graded.current.match).toMatchObject({ precision: 0.5, recall: 1 });
    expect(report.graded.proposed.match).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(report.fixed.map((change: { id: string }) => change.id)).toEqual([lavrov]);
    expect(report.fixed[0]).toMatchObject({ source: 'feedback', grade: 0 });
    expect(report.broken).toEqual([]);
    expect(text.stdout).toContain('items: 2 graded by you, 0 from --labels, 0 stored matches');
    expect(text.stdout).toMatch(
      /match +0\.500 1\.000 0\.667 -> 1\.000 1\.000 1\.000 +\(F1 \+0\.333\)/,
    );
    expect(text.stdout).toContain('graded items it fixes: 1');

    const evaluation = JSON.parse(
      (await runCli(['eval', '--feedback', '--data', data, '--json'])).stdout,
    );
    // The current profile's figures are the ones eval prints for the same grades.
    expect(evaluation.match.f1).toBeCloseTo(report.graded.current.match.f1, 3);
  });

  it('keeps the stored grade over a --labels line with the same id, and leaves grades out with --no-feedback', async () => {
    const labels = join(workDir, 'labels-overlapping.jsonl');
    writeFileSync(
      labels,
      `${JSON.stringify({ id: lavrov, title: 'Lavrov meets Wang Yi in Beijing', grade: 2 })}\n${readFileSync(LABELS, 'utf8')}`,
    );
    const args = ['profile', 'diff', '--overlay', noLavrov, '--labels', labels, '--data', data];

    const both = await runCli([...args, '--json']);
    const without = await runCli([...args, '--no-feedback', '--json']);
    const text = await runCli(args);

    expect(both.code, both.stderr).toBe(0);
    const report = JSON.parse(both.stdout);
    expect(report.items).toEqual({ stored: 0, feedback: 2, labels: 6, recent: 0 });
    // The --labels line, and the two graded matches listed again as stored matches.
    expect(report.repeated).toBe(3);
    expect(report.fixed.find((change: { id: string }) => change.id === lavrov)).toMatchObject({
      source: 'feedback',
      grade: 0,
    });
    expect(text.stdout).toContain('(3 given twice, scored once: your stored grade first');

    const alone = JSON.parse(without.stdout);
    // Without the grades the --labels line counts, and the other match is a stored one again.
    expect(alone.items).toEqual({ stored: 1, feedback: 0, labels: 7, recent: 0 });
    expect(alone.repeated).toBe(1);
    expect(alone.broken.find((change: { id: string }) => change.id === lavrov)).toMatchObject({
      source: 'labels',
      grade: 2,
    });
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './cli-harness.ts';

const SECOND_TOPIC = join(REPO_ROOT, 'test/fixtures/profile/second-topic');
const lines = (...items: unknown[]) =>
  items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('\n');
const outputLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('newswatch score', () => {
  it('writes one result line per input line, in order, with the contract fields', async () => {
    const stdin = lines(
      {
        id: 'core',
        title: 'Xi and Putin meet in Moscow to deepen ties',
        summary: 'Trade hit a record.',
      },
      { id: 'off', title: 'Local bakery wins award' },
      { id: 'war', title: 'Russian missile strike hits Kyiv', link: 'https://example.com/a' },
    );

    const result = await runCli(['score'], { stdin });

    expect(result.code, result.stderr).toBe(0);
    const out = outputLines(result.stdout);
    expect(out.map((line) => line.id)).toEqual(['core', 'off', 'war']);
    expect(Object.keys(out[0]).sort()).toEqual([
      'alert',
      'facets',
      'id',
      'lang',
      'match',
      'score',
      'terms',
    ]);
    expect(out[0]).toMatchObject({ match: true, alert: true });
    expect(out[1]).toMatchObject({ score: 0, match: false, alert: false });
    expect(out[2]).toMatchObject({ match: true, alert: false });
  });

  it("names each line's language and scores Russian and Chinese lines", async () => {
    const stdin = lines(
      { id: 'ru', title: 'Путин и Си Цзиньпин начали переговоры в расширенном составе' },
      { id: 'zh', title: '习近平与普京举行正式会谈' },
      { id: 'declared', title: 'Poutine reçoit Xi à Moscou', language: 'fr-FR' },
    );

    const result = await runCli(['score'], { stdin });

    expect(result.code, result.stderr).toBe(0);
    expect(outputLines(result.stdout)).toMatchObject([
      { id: 'ru', lang: 'ru', alert: true },
      { id: 'zh', lang: 'zh', alert: true },
      { id: 'declared', lang: 'fr' },
    ]);
  });

  it('reports each bad line by number on stderr, scores the rest and exits 3', async () => {
    const stdin = lines(
      { id: 'a', title: 'Putin visits Beijing' },
      '{not json',
      { title: 'no id here' },
      { id: 'b' },
      { id: 'c', title: 'Local bakery wins award' },
    );

    const result = await runCli(['score'], { stdin });

    expect(result.code).toBe(3);
    expect(outputLines(result.stdout).map((line) => line.id)).toEqual(['a', 'c']);
    expect(result.stderr).toContain('line 2: not valid JSON');
    expect(result.stderr).toContain('line 3: missing "id"');
    expect(result.stderr).toContain('line 4: missing "title"');
  });

  it('adds the explanation with --explain', async () => {
    const result = await runCli(['score', '--explain'], {
      stdin: lines({ id: 'a', title: 'Putin visits Beijing' }),
    });

    expect(result.code, result.stderr).toBe(0);
    const [line] = outputLines(result.stdout);
    expect(line.explanation.facets.map((facet: { name: string }) => facet.name)).toEqual([
      'russia',
      'china',
    ]);
  });

  it('scores against the seeds folder given with --seeds', async () => {
    const result = await runCli(['score', '--seeds', SECOND_TOPIC], {
      stdin: lines({ id: 'jets', title: 'Airbus overtakes Boeing in jet deliveries again' }),
    });

    expect(result.code, result.stderr).toBe(0);
    expect(outputLines(result.stdout)[0]).toMatchObject({ id: 'jets', match: true, alert: true });
  });

  it('answers each line as it arrives, before stdin ends', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/newswatch.js'), 'score'], {
      cwd: REPO_ROOT,
    });
    child.stdin.write(`${JSON.stringify({ id: 'first', title: 'Putin visits Beijing' })}\n`);

    const [chunk] = await once(child.stdout, 'data');

    expect(JSON.parse(String(chunk))).toMatchObject({ id: 'first' });
    child.stdin.end();
    await once(child, 'close');
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runCli(['score', '--fast']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--fast'");
  });
});

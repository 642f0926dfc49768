import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabeledItems } from '#shared/eval/labeled-item.ts';
import { type FeedServer, runCli, startFeedServer } from './cli-harness.ts';

/** An article page as a news site serves it: Open Graph tags, entities, a script in the head. */
const ARTICLE = `<!doctype html><html><head>
<script>var title = "not this";</script>
<title>Fallback title | Site</title>
<meta property="og:site_name" content="Harbour Post">
<meta content="Russian oil &amp; gas exports slump as EU bans bite" property="og:title">
<meta name="description" content="Frozen assets, a price cap and tanker seizures cut Moscow&#39;s revenue.">
</head><body><p>Body text.</p></body></html>`;

let feeds: FeedServer;
let pages: Server;
let pageUrl: string;
let workDir: string;
let data: string;
let matchIds: string[];

beforeAll(async () => {
  feeds = await startFeedServer();
  pages = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE);
  });
  await new Promise<void>((listening) => pages.listen(0, '127.0.0.1', listening));
  pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/economy/oil`;
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-feedback-'));
  data = join(workDir, 'data');
  const list = join(workDir, 'feeds.json');
  writeFileSync(list, JSON.stringify({ feeds: [{ url: feeds.url('world.xml'), name: 'World' }] }));
  const run = await runCli(['run', '--feeds', list, '--data', data, '--allow-private-network']);
  if (run.code !== 0) throw new Error(`setup sweep failed: ${run.stderr}`);
  const listed = await runCli(['matches', '--data', data, '--json']);
  matchIds = (JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((m) => m.id);
  if (matchIds.length < 2) throw new Error('the fixture sweep stored fewer than two matches');
});
afterAll(async () => {
  await feeds?.close();
  await new Promise((closed) => pages?.close(closed));
});

describe('newswatch feedback', () => {
  it('grades a match, regrades it, and says what it was', async () => {
    const [first] = matchIds as [string];
    const graded = await runCli(['feedback', first, '1', '--note', 'related', '--data', data]);
    expect(graded.stderr).toBe('');
    expect(graded.code).toBe(0);
    expect(graded.stdout).toMatch(new RegExp(`^match ${first} graded 1 \\(relevant\\)\\n`));

    const regraded = await runCli(['feedback', first, '0', '--data', data, '--json']);
    expect(regraded.code).toBe(0);
    const feedback = JSON.parse(regraded.stdout);
    expect(feedback).toMatchObject({ id: first, grade: 0, kind: 'match', feed: 'World' });
    expect(feedback.history).toMatchObject([{ grade: 1, note: 'related' }]);
    expect(feedback.profileVersion).toMatch(/^scorer-/);
  });

  it('refuses an unknown match and a grade out of range, with exit code 2', async () => {
    const unknown = await runCli(['feedback', 'no-such-match', '1', '--data', data]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no match with id "no-such-match"');
    const bad = await runCli(['feedback', matchIds[1] as string, '3', '--data', data]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('grade: expected 0 (not relevant), 1 (relevant) or 2');
  });

  it('reports a miss with the title and description its page gives, cleaned', async () => {
    const result = await runCli([
      'feedback',
      '--url',
      pageUrl,
      '2',
      '--data',
      data,
      '--allow-private-network',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    const feedback = JSON.parse(result.stdout);
    expect(feedback).toMatchObject({
      kind: 'miss',
      grade: 2,
      title: 'Russian oil & gas exports slump as EU bans bite',
      summary: "Frozen assets, a price cap and tanker seizures cut Moscow's revenue.",
      feed: 'Harbour Post',
      link: pageUrl,
    });
  });

  it('fetches a miss only through the address guard', async () => {
    const result = await runCli(['feedback', '--url', pageUrl, '1', '--data', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('127.0.0.1 is a non-public address');
    expect(result.stderr).toContain('give --title and --summary instead');
  });

  it('takes a miss as given without fetching', async () => {
    const result = await runCli([
      'feedback',
      '--url',
      'https://news.example/asia/baltic-cable',
      '1',
      '--title',
      'Baltic cable cut; NATO steps up patrols',
      '--summary',
      'Investigators look at a ship that left a Russian port.',
      '--data',
      data,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'miss', feed: 'news.example' });
  });

  it('scores the graded items with the profile in use and exports them as labeled lines', async () => {
    const exported = join(workDir, 'mine.jsonl');
    const result = await runCli(['eval', '--feedback', '--data', data, '--export', exported]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('3 graded items: 2 relevant or alert-worthy, 1 alert-worthy');
    expect(result.stdout).toMatch(/^match +\d\.\d{3} \[\d\.\d\d, \d\.\d\d\]/m);
    expect(result.stdout).toContain('95% intervals (Wilson');
    // The match graded 0 scored high enough to match: the report lists it as wrong.
    expect(result.stdout).toContain(`false-match`);
    expect(result.stdout).toContain(matchIds[0]);

    const items = parseLabeledItems(readFileSync(exported, 'utf8'), exported);
    expect(items).toHaveLength(3);
    expect(items.find((item) => item.id === matchIds[0])?.grade).toBe(0);
    const json = await runCli(['eval', '--labels', exported, '--json']);
    const evaluation = JSON.parse(json.stdout);
    expect(evaluation.items).toBe(3);
    expect(evaluation.match.intervals.precision.low).toBeLessThan(evaluation.match.precision);
  });

  it('proposes overlay changes from the grades without applying them', async () => {
    const proposal = join(workDir, 'proposed.json');
    const seeds = join(process.cwd(), 'seeds/profile.json');
    const before = readFileSync(seeds, 'utf8');
    const result = await runCli([
      'feedback',
      'suggest',
      '--data',
      data,
      '--out',
      proposal,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    for (const suggestion of report.suggestions) {
      expect(suggestion.backtest.fixed.length).toBeGreaterThan(suggestion.backtest.broken.length);
    }
    if (report.combined) {
      expect(report.proposalFile).toBe(proposal);
      expect(JSON.parse(readFileSync(proposal, 'utf8'))).toEqual(report.combined.overlay);
    }
    expect(readFileSync(seeds, 'utf8')).toBe(before);
  });
});

describe('newswatch eval', () => {
  it('asks for exactly one source of graded items', async () => {
    for (const args of [['eval'], ['eval', '--feedback', '--labels', 'x.jsonl']]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('give either --feedback or --labels <file>');
    }
  });

  it('names the line and the field of a bad labeled set', async () => {
    const file = join(workDir, 'bad.jsonl');
    writeFileSync(file, '{"id":"a","title":"T","grade":1}\n{"id":"b","title":"U","grade":5}\n');
    const result = await runCli(['eval', '--labels', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:2: grade:`);
  });
});

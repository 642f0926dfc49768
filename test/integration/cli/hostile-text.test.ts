import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput } from './cli-harness.ts';

// What a hostile name or headline carries: an OSC that retitles the terminal, a CSI that clears
// it (ESC and its one-byte C1 form), a bidi override that reverses what follows.
const OSC = '\u001B]0;pwned\u0007';
const CSI = '\u001B[2J';
const C1_CSI = '\u009B2J';
const RLO = '\u202E';
const HOSTILE_NAME = `${OSC}Evil${RLO}News${C1_CSI}${CSI}`;

/** Anything a terminal acts on or that hides or reorders text; line breaks and tabs excepted. */
const UNSAFE = /(?![\n\t])\p{Cc}|\p{Cf}/u;
/** Anything a browser could read as the start of markup. */
const MARKUP_START = /<[\p{L}/!?]/u;

/** An alert-worthy feed whose every text field is hostile: raw controls, escaped markup. */
function hostileFeed(): string {
  const now = new Date().toUTCString();
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>${OSC}Hostile${RLO} Channel</title>
<link>https://hostile.example/</link>
<item>
<title>&lt;img/src=x onerror=alert(1)&gt;Putin and Xi Jinping pledge deeper Russia-China partnership ${CSI}as war in Ukraine grinds on ${RLO}</title>
<link>https://hostile.example/world/putin-xi</link>
<guid isPermaLink="false">hostile-1</guid>
<description>&lt;svg/onload=alert(1)&gt;Russian President Vladimir Putin met Chinese leader Xi Jinping in Beijing, where the two sides praised record trade between Moscow and Beijing despite Western sanctions over the invasion of Ukraine. &amp;lt;img src=x onerror=alert(2)&amp;gt;</description>
<pubDate>${now}</pubDate>
</item>
</channel></rss>`;
}

let server: Server;
let base: string;
let workDir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/hostile.xml') {
      response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      response.end(hostileFeed());
      return;
    }
    // Not a feed, named by its root element: the error message quotes what the server sent.
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(`<?xml version="1.0"?><evil${OSC}${RLO}root/>`);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  workDir = mkdtempSync(join(tmpdir(), 'newswatch-hostile-'));
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

function expectClean(text: string, what: string): void {
  const found = UNSAFE.exec(text);
  expect(
    found,
    `${what} holds U+${found?.[0].codePointAt(0)?.toString(16)} near ${JSON.stringify(text.slice(Math.max(0, (found?.index ?? 0) - 20), (found?.index ?? 0) + 20))}`,
  ).toBeNull();
}

/** Every string anywhere in a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

async function stopped(child: ReturnType<typeof startCli>): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((exited) => child.on('exit', (code) => exited(code)));
}

describe('hostile names and headlines', () => {
  it('reach neither the terminal, the alerts, the store nor the API raw (feeds.json)', async () => {
    const list = join(workDir, 'feeds.json');
    const data = join(workDir, 'json-data');
    writeFileSync(
      list,
      JSON.stringify({
        feeds: [
          { url: `${base}/hostile.xml`, name: HOSTILE_NAME, tags: [`${CSI}red${RLO}`] },
          { url: `${base}/not-a-feed.xml`, name: `Broken${OSC}` },
        ],
      }),
    );

    const run = await runCli(['run', '--feeds', list, '--data', data, '--allow-private-network']);

    expect(run.code, run.stderr).toBe(0);
    expectClean(run.stdout, 'stdout');
    expectClean(run.stderr, 'stderr');
    expect(run.stdout).toContain('ALERT');
    expect(run.stderr).toContain('EvilNews');
    expect(run.stderr).toMatch(/NOT_A_FEED/);

    const alerts = readFileSync(join(data, 'alerts.jsonl'), 'utf8').trim().split('\n');
    expect(alerts.length).toBeGreaterThan(0);
    for (const line of alerts) {
      for (const text of stringsIn(JSON.parse(line))) {
        expectClean(text, 'alerts.jsonl');
        expect(text).not.toMatch(MARKUP_START);
        expect(text).not.toContain('onerror');
      }
    }

    const serving = startCli(['serve', '--port', '0', '--data', data]);
    try {
      const [, url] = await waitForOutput(
        serving,
        /newswatch API listening on (http:\/\/localhost:\d+)/,
      );
      const feeds = (await (await fetch(`${url}/feeds`)).json()) as {
        items: { name?: string; url: string }[];
      };
      const matches = (await (await fetch(`${url}/matches`)).json()) as {
        items: { title: string; feed: string; summary?: string }[];
      };

      expect(feeds.items.find((feed) => feed.url.endsWith('/hostile.xml'))?.name).toBe('EvilNews');
      for (const text of stringsIn(feeds)) expectClean(text, 'GET /feeds');
      expect(matches.items.length).toBeGreaterThan(0);
      for (const match of matches.items) {
        expect(match.feed).toBe('EvilNews');
        expect(match.title).toMatch(/^Putin and Xi Jinping pledge deeper/);
      }
      for (const text of stringsIn(matches)) {
        expectClean(text, 'GET /matches');
        expect(text).not.toMatch(MARKUP_START);
        expect(text).not.toContain('onerror');
      }
    } finally {
      serving.kill('SIGINT');
      await stopped(serving);
    }
  });

  it('reach neither the terminal nor the alerts raw (OPML, --json)', async () => {
    const list = join(workDir, 'feeds.opml');
    const data = join(workDir, 'opml-data');
    writeFileSync(
      list,
      `<?xml version="1.0"?><opml version="2.0"><body>
<outline text="${HOSTILE_NAME}" xmlUrl="${base}/hostile.xml"/>
<outline text="&#x1B;]2;pwned&#x7;Broken&#x202E;" xmlUrl="${base}/not-a-feed.xml"/>
</body></opml>`,
    );

    const run = await runCli([
      'run',
      '--feeds',
      list,
      '--data',
      data,
      '--json',
      '--allow-private-network',
    ]);

    expect(run.code, run.stderr).toBe(0);
    expectClean(run.stdout, 'stdout');
    expectClean(run.stderr, 'stderr');
    const summary = JSON.parse(run.stdout) as { alerts: number; failed: { error: string }[] };
    expect(summary.alerts).toBeGreaterThan(0);
    expect(summary.failed).toHaveLength(1);
    for (const text of stringsIn(summary)) expectClean(text, 'the summary');
    for (const line of readFileSync(join(data, 'alerts.jsonl'), 'utf8').trim().split('\n')) {
      for (const text of stringsIn(JSON.parse(line))) expectClean(text, 'alerts.jsonl');
    }
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../support/shared-data.ts';
import { jsonLines, runParse } from './spawn-parse.ts';

const corpusDir = sharedData('corpus/feedparser-tests');
const corpus = corpusDir ?? '';
const REQUIRED_PASS_RATE = 0.98;
// feedparser's own tests serve these from this address, and their expectations name it.
const FEEDPARSER_PORT = 8097;

interface Case {
  file: string;
  checks: {
    path: 'feed.title' | 'feed.link' | 'items[0].title' | 'items[0].link';
    equals: string;
  }[];
}

interface Seen {
  feed?: { title?: string; link?: string };
  items?: { title?: string; link?: string }[];
}

function valueAt(seen: Seen, path: Case['checks'][number]['path']): string | undefined {
  if (path === 'feed.title') return seen.feed?.title;
  if (path === 'feed.link') return seen.feed?.link;
  if (path === 'items[0].title') return seen.items?.[0]?.title;
  return seen.items?.[0]?.link;
}

function passes(testCase: Case, seen: Seen): boolean {
  return testCase.checks.every((check) => {
    const value = valueAt(seen, check.path);
    // rss-parser sometimes hands back objects where text was expected; those count as misses.
    return typeof value === 'string' && value.trim() === withoutFormatCharacters(check.equals);
  });
}

/**
 * The expected text as newswatch keeps it: a few cases expect an entity to become an invisible
 * format character (&lrm;, &shy;, &zwj; between spaces), which newswatch removes on purpose.
 */
function withoutFormatCharacters(text: string): string {
  return text
    .replace(/\p{Cf}/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** HTTP headers a case asks to be served with (its `Header:` lines). */
function headersOf(file: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^Header:\s*([\w-]+):\s*(.+)$/gm)) {
    headers[(match[1] ?? '').toLowerCase()] = (match[2] ?? '').trim();
  }
  return headers;
}

describe.skipIf(!corpusDir)('feedparser conformance cases through `newswatch parse`', () => {
  const cases: Case[] = corpusDir
    ? (JSON.parse(readFileSync(resolve(corpus, 'expectations.json'), 'utf8')) as Case[])
    : [];
  // Cases about HTTP (base URI, Content-Location) are served; the rest are read as files.
  const served = new Set(
    cases.filter((testCase) => testCase.file.startsWith('wellformed/base/')).map((c) => c.file),
  );
  let server: Server;
  let port = FEEDPARSER_PORT;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const file = resolve(corpus, (request.url ?? '/').slice(1));
      if (!file.startsWith(corpus) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/xml', ...headersOf(file) })
        .end(readFileSync(file));
    });
    port = await new Promise<number>((resolvePort) => {
      server.once('error', () =>
        server.listen(0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port)),
      );
      server.listen(FEEDPARSER_PORT, '127.0.0.1', () => resolvePort(FEEDPARSER_PORT));
    });
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const sourceOf = (testCase: Case): string =>
    served.has(testCase.file)
      ? `http://127.0.0.1:${port}/${testCase.file}`
      : resolve(corpus, testCase.file);

  it(`passes at least ${REQUIRED_PASS_RATE * 100}% of the cases, and more than bare rss-parser`, async () => {
    const results = new Map<string, Seen>();
    const batchSize = Math.ceil(cases.length / 3);
    for (let start = 0; start < cases.length; start += batchSize) {
      const batch = cases.slice(start, start + batchSize);
      const run = await runParse(['--json', '--allow-private-network', ...batch.map(sourceOf)]);
      const lines = jsonLines(run.stdout);
      expect(lines).toHaveLength(batch.length);
      batch.forEach((testCase, index) => {
        results.set(testCase.file, lines[index] as Seen);
      });
    }
    const failed = cases.filter((testCase) => !passes(testCase, results.get(testCase.file) ?? {}));

    const bare = new Parser();
    let bareFailed = 0;
    for (const testCase of cases) {
      const seen = await bare
        .parseString(readFileSync(resolve(corpus, testCase.file), 'utf8'))
        .then(
          (feed) => ({ feed: { title: feed.title, link: feed.link }, items: feed.items }) as Seen,
        )
        .catch(() => ({}) as Seen);
      if (!passes(testCase, seen)) bareFailed++;
    }

    const rate = (cases.length - failed.length) / cases.length;
    const bareRate = (cases.length - bareFailed) / cases.length;
    console.info(
      `feedparser conformance: newswatch ${(rate * 100).toFixed(1)}% (${cases.length - failed.length}/${cases.length}), bare rss-parser ${(bareRate * 100).toFixed(1)}% (${cases.length - bareFailed}/${cases.length}); newswatch misses: ${failed.map((c) => c.file).join(', ')}`,
    );
    expect(rate).toBeGreaterThanOrEqual(REQUIRED_PASS_RATE);
    expect(rate).toBeGreaterThan(bareRate);
  });
});

/**
 * What fetch-decode-parse-normalize costs per feed, per MB and per item, against bare
 * `rss-parser.parseString` on the same bytes. Uses the real feeds of ../shared/corpus/feeds when
 * present (else the test fixtures); the fetch column polls the same files from a loopback server.
 * Target: the parse path within 2x of bare parseString per item.
 *
 * Run: npx tsx bench/bench-parsing.ts [--quick]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { parseFeedDocument } from '#shared/feeds/parse-feed.ts';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const TARGET_RATIO = 2;
const repoRoot = resolve(import.meta.dirname, '..');
const corpusFeeds = resolve(repoRoot, '../shared/corpus/feeds');
const sourceDir = existsSync(corpusFeeds) ? corpusFeeds : resolve(repoRoot, 'test/fixtures/feeds');

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    })
    .filter((path) => /\.(xml|rss|atom|json)$/i.test(path) && !path.endsWith('expectations.json'));
}

interface Doc {
  name: string;
  bytes: Buffer;
}

interface PhaseResult {
  ms: number;
  items: number;
  failures: number;
}

async function timeRounds(
  docs: Doc[],
  run: (doc: Doc) => Promise<number>,
): Promise<PhaseResult & { perDocMs: number[] }> {
  const perDocMs = docs.map(() => 0);
  let items = 0;
  let failures = 0;
  // One warm-up round so JIT and lazy loading do not count.
  for (const doc of docs) await run(doc).catch(() => 0);
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, doc] of docs.entries()) {
      const t0 = performance.now();
      try {
        const count = await run(doc);
        if (round === 0) items += count;
      } catch {
        if (round === 0) failures++;
      }
      perDocMs[index] = (perDocMs[index] ?? 0) + performance.now() - t0;
    }
  }
  const ms = (performance.now() - started) / ROUNDS;
  return { ms, items, failures, perDocMs: perDocMs.map((value) => value / ROUNDS) };
}

const docs: Doc[] = filesUnder(sourceDir).map((path) => ({
  name: relative(sourceDir, path),
  bytes: readFileSync(path),
}));
const totalMb = docs.reduce((sum, doc) => sum + doc.bytes.length, 0) / 1_048_576;

const bare = new Parser();
const bareResult = await timeRounds(
  docs,
  async (doc) => (await bare.parseString(doc.bytes.toString('utf8'))).items.length,
);
const FEED_URL = 'https://feeds.example.org/feed';
const parseResult = await timeRounds(
  docs,
  async (doc) => (await parseFeedDocument(doc.bytes, { feedUrl: FEED_URL })).items.length,
);
const server = createServer((request, response) => {
  const doc = docs[Number((request.url ?? '/').slice(1))];
  if (!doc) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'application/xml' }).end(doc.bytes);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as AddressInfo).port;
const poller = createFeedPoller({
  allowPrivateNetwork: true,
  timeoutMs: 10_000,
  maxBodyBytes: 20_000_000,
  perHostConcurrency: 2,
});
const fetchResult = await timeRounds(docs, async (doc) => {
  const result = await poller.poll({
    feed: { url: `http://127.0.0.1:${port}/${docs.indexOf(doc)}`, tags: [] },
    previous: {},
    unconditional: true,
  });
  return result.kind === 'parsed' ? result.items.length : 0;
});
server.close();

const row = (name: string, result: PhaseResult) => ({
  phase: name,
  feeds: docs.length,
  items: result.items,
  failures: result.failures,
  msPerRound: Number(result.ms.toFixed(2)),
  msPerFeed: Number((result.ms / docs.length).toFixed(3)),
  msPerMb: Number((result.ms / totalMb).toFixed(2)),
  usPerItem: Number(((result.ms * 1000) / Math.max(1, result.items)).toFixed(2)),
});
const rows = [
  row('bare rss-parser.parseString', bareResult),
  row('newswatch decode+parse+normalize', parseResult),
  row('newswatch fetch (loopback)+parse', fetchResult),
];
const perItemRatio = (rows[1]?.usPerItem ?? 0) / Math.max(0.001, rows[0]?.usPerItem ?? 0);
const perMbRatio = (rows[1]?.msPerMb ?? 0) / Math.max(0.001, rows[0]?.msPerMb ?? 0);

const largest = docs
  .map((doc, index) => ({
    feed: doc.name,
    kb: Number((doc.bytes.length / 1024).toFixed(1)),
    bareMs: Number((bareResult.perDocMs[index] ?? 0).toFixed(3)),
    newswatchMs: Number((parseResult.perDocMs[index] ?? 0).toFixed(3)),
    fetchMs: Number((fetchResult.perDocMs[index] ?? 0).toFixed(3)),
  }))
  .sort((a, b) => b.kb - a.kb);

console.log(
  `\nParsing benchmark: ${docs.length} documents, ${totalMb.toFixed(2)} MB, ${ROUNDS} rounds (source: ${relative(repoRoot, sourceDir)})\n`,
);
console.table(rows);
console.log('Largest documents (ms per parse):');
console.table(largest.slice(0, 10));
console.log(
  `newswatch vs bare rss-parser: ${perItemRatio.toFixed(2)}x per item, ${perMbRatio.toFixed(2)}x per MB (target <= ${TARGET_RATIO}x per item): ${perItemRatio <= TARGET_RATIO ? 'met' : 'NOT met'}`,
);
console.log(
  `items: newswatch ${parseResult.items} with ${parseResult.failures} typed failures; bare rss-parser ${bareResult.items} with ${bareResult.failures} failures`,
);

const resultsDir = resolve(repoRoot, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  resolve(resultsDir, 'bench-parsing.json'),
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      node: process.version,
      source: relative(repoRoot, sourceDir),
      documents: docs.length,
      megabytes: Number(totalMb.toFixed(3)),
      rounds: ROUNDS,
      rows,
      perItemRatio: Number(perItemRatio.toFixed(3)),
      perMbRatio: Number(perMbRatio.toFixed(3)),
      targetPerItemRatio: TARGET_RATIO,
      targetMet: perItemRatio <= TARGET_RATIO,
      perDocument: largest,
    },
    null,
    2,
  )}\n`,
);

/**
 * Peak memory of parsing hostile documents: each shape of bench/lib/hostile-documents.ts at the
 * body cap (10 MB), parsed by `newswatch parse` in a process of its own, whose peak RSS (the
 * whole process: Node, tsx, the CLI and the document) is reported against the 150 MB target.
 * Then the ingest function's worst case: one process polls `fetch.concurrency` feeds at once
 * from a loopback server, every one of them the shape that cost the most, and keeps what each
 * poll returns until all are done, as a chunk holds its polls until their matches are stored.
 *
 * Run: npx tsx bench/bench-parse-memory.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigSchema } from '#shared/config/config-schema.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { HOSTILE_SHAPES } from '../test/fixtures/hostile-documents.ts';
import { machineInfo } from './lib/machine.ts';
import { writeResults } from './lib/results.ts';
import { formatTable, round } from './lib/table.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const TARGET_MIB = 150_000_000 / 2 ** 20;
const LAMBDA_MIB = 512;
const DEFAULTS = ConfigSchema.parse({}).fetch;
const SIZE = DEFAULTS.maxBodyBytes;
const quick = process.argv.includes('--quick');

/** Peak RSS in MiB of a node process running `args`, with what it printed. */
function peakOf(args: string[]): Promise<{ peakMiB: number; stdout: string }> {
  const reporter = `process.on('exit',()=>process.stderr.write('\\nmaxRSS '+process.resourceUsage().maxRSS+'\\n'))`;
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(reporter)}`, ...args],
      {
        cwd: REPO_ROOT,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', () => {
      const kib = Number(/maxRSS (\d+)/.exec(stderr)?.[1]);
      if (!Number.isFinite(kib)) fail(new Error(`no peak reported: ${stderr.slice(-500)}`));
      else done({ peakMiB: kib / 1024, stdout });
    });
  });
}

function outcomeOf(stdout: string): string {
  try {
    const line = JSON.parse(stdout.trim().split('\n')[0] ?? '');
    if (line.error) return `${line.error.code}`;
    return `${line.items.length} items, ${line.warnings.length} warning(s)`;
  } catch {
    return 'no output';
  }
}

/** The ingest worst case, run as a child: `--polls <shape> <count>`. */
async function pollConcurrently(shapeName: string, count: number): Promise<void> {
  const shape = HOSTILE_SHAPES.find((candidate) => candidate.name === shapeName);
  if (!shape) throw new Error(`no shape ${shapeName}`);
  const body = shape.make(SIZE);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  const poller = createFeedPoller({
    allowPrivateNetwork: true,
    timeoutMs: 120_000,
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    perHostConcurrency: 16,
  });
  const results = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      poller
        .poll({ feed: { url: `http://127.0.0.1:${port}/${index}`, tags: [] }, previous: {} })
        .catch((error: unknown) => error),
    ),
  );
  server.close();
  process.stdout.write(`${JSON.stringify({ polled: results.length })}\n`);
}

if (process.argv[2] === '--polls') {
  await pollConcurrently(process.argv[3] ?? '', Number(process.argv[4]));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-parse-memory-'));
  try {
    const tiny = join(dir, 'tiny.xml');
    writeFileSync(tiny, HOSTILE_SHAPES[0]?.make(2000) ?? '');
    const baseline = await peakOf(['bin/newswatch.js', 'parse', '--json', tiny]);
    const shapes = quick ? HOSTILE_SHAPES.filter((_, index) => index % 3 === 0) : HOSTILE_SHAPES;
    const rows: { shape: string; what: string; mb: number; peakMiB: number; outcome: string }[] =
      [];
    for (const shape of shapes) {
      const file = join(dir, `${shape.name}.doc`);
      const bytes = shape.make(SIZE);
      writeFileSync(file, bytes);
      const run = await peakOf(['bin/newswatch.js', 'parse', '--json', file]);
      rows.push({
        shape: shape.name,
        what: shape.what,
        mb: round(bytes.length / 1e6, 1),
        peakMiB: round(run.peakMiB, 0),
        outcome: outcomeOf(run.stdout),
      });
      rmSync(file);
    }
    const worst = rows.reduce((a, b) => (b.peakMiB > a.peakMiB ? b : a));
    const concurrency = DEFAULTS.concurrency;
    const ingest = await peakOf([
      '--import',
      'tsx',
      'bench/bench-parse-memory.ts',
      '--polls',
      worst.shape,
      String(concurrency),
    ]);
    const ingestIdle = await peakOf([
      '--import',
      'tsx',
      'bench/bench-parse-memory.ts',
      '--polls',
      'honest-items',
      '1',
    ]);

    console.log(
      `\nnewswatch parse on hostile ${round(SIZE / 1e6, 1)} MB documents, peak RSS of the whole process (target ${round(TARGET_MIB, 0)} MiB = 150 MB; a 2 KB document: ${round(baseline.peakMiB, 0)} MiB)\n`,
    );
    console.log(
      formatTable(
        ['shape', 'MB', 'peak RSS MiB', 'outcome', 'what'],
        rows.map((row) => [row.shape, row.mb, row.peakMiB, row.outcome, row.what]),
      ),
    );
    console.log(
      `\ningest worst case: ${concurrency} polls at once of ${worst.shape} (${worst.mb} MB each), results kept: peak ${round(ingest.peakMiB, 0)} MiB (one honest 10 MB poll: ${round(ingestIdle.peakMiB, 0)} MiB; the function has ${LAMBDA_MIB} MB)`,
    );
    const met = worst.peakMiB <= TARGET_MIB;
    const ingestMet = ingest.peakMiB <= LAMBDA_MIB * 0.8;
    const file = writeResults('bench-parse-memory', {
      benchmark: 'bench-parse-memory',
      runAt: new Date().toISOString(),
      quick,
      machine: machineInfo(),
      documentBytes: SIZE,
      targetMiB: round(TARGET_MIB, 1),
      baselineMiB: round(baseline.peakMiB, 1),
      rows,
      worst: { shape: worst.shape, peakMiB: worst.peakMiB },
      ingest: {
        concurrency,
        shape: worst.shape,
        peakMiB: round(ingest.peakMiB, 0),
        onePollMiB: round(ingestIdle.peakMiB, 0),
        lambdaMiB: LAMBDA_MIB,
      },
      headline: {
        figure: `worst shape ${worst.shape} ${worst.peakMiB} MiB; ingest x${concurrency} ${round(ingest.peakMiB, 0)} MiB`,
        target: `<= ${round(TARGET_MIB, 0)} MiB per parse; ingest <= 80% of ${LAMBDA_MIB} MB`,
        pass: met && ingestMet,
      },
    });
    console.log(`\nresults: ${file}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

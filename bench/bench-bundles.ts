import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_OPTIONS, FUNCTION_ENTRIES } from '#infra/bundle-options.ts';
import { PROJECT_ROOT } from '#infra/project-root.ts';
import { machineInfo } from './lib/machine.ts';
import { RESULTS_DIR, writeResults } from './lib/results.ts';
import { formatTable, median, round } from './lib/table.ts';

/**
 * Bundles each Lambda with the construct's esbuild settings, then reports its size and how long
 * a fresh Node process takes to import it (the module part of a cold start; the Lambda runtime's
 * own start and the network are not in it). Writes bench/results/bench-bundles.json.
 */

const IMPORT_RUNS = 5;
const MIB = 1024 * 1024;
// Bundles live under the repository so their external AWS SDK imports resolve from node_modules.
const OUT_DIR = join(RESULTS_DIR, 'bundles');

// Enough environment for every handler's cold-start validation; nothing is contacted at import.
const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'newswatch-bench',
  SEEDS_DIR: resolve(PROJECT_ROOT, 'seeds'),
  FEEDS_FILE: resolve(PROJECT_ROOT, 'seeds/feeds.json'),
  INGEST_FUNCTION_NAME: 'newswatch-ingest',
  INTERVAL_MINUTES: '15',
  INGEST_BATCH_SIZE: '50',
  MAX_CONCURRENT_INGESTS: '20',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
};

interface BundleResult {
  function: string;
  entry: string;
  bytes: number;
  mib: number;
  underOneMiB: boolean;
  largestInputs: { input: string; bytes: number }[];
  naturalWholeIndex: boolean;
  importMs: { median: number; runs: number[] };
  processMs: { median: number; runs: number[] };
}

async function bundle(name: string, entry: string): Promise<{ file: string; metafile: Metafile }> {
  const outdir = join(OUT_DIR, name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [resolve(PROJECT_ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: BUNDLE_OPTIONS.target,
    format: BUNDLE_OPTIONS.format,
    minify: BUNDLE_OPTIONS.minify,
    sourcemap: BUNDLE_OPTIONS.sourcemap,
    sourcesContent: BUNDLE_OPTIONS.sourcesContent,
    external: [...BUNDLE_OPTIONS.external],
    mainFields: [...BUNDLE_OPTIONS.mainFields],
    banner: { js: BUNDLE_OPTIONS.banner },
    metafile: true,
    logLevel: 'warning',
  });
  return { file, metafile: result.metafile };
}

/** Imports the bundle in a fresh process: time to import, and the process's whole wall time. */
function timeImport(file: string): { importMs: number; processMs: number } {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, ...HANDLER_ENV },
    encoding: 'utf8',
  });
  const processMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return { importMs: Number(run.stdout), processMs };
}

function largestInputs(metafile: Metafile): { input: string; bytes: number }[] {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const key =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/')[0] ?? input;
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([input, bytes]) => ({ input, bytes }));
}

async function main(): Promise<void> {
  const results: BundleResult[] = [];
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    const { file, metafile } = await bundle(name, entry);
    const bytes = statSync(file).size;
    const runs = Array.from({ length: IMPORT_RUNS }, () => timeImport(file));
    const importRuns = runs.map((run) => round(run.importMs));
    const processRuns = runs.map((run) => round(run.processMs));
    results.push({
      function: name,
      entry,
      bytes,
      mib: round(bytes / MIB, 3),
      underOneMiB: bytes < MIB,
      largestInputs: largestInputs(metafile),
      naturalWholeIndex: Object.keys(metafile.inputs).some((input) =>
        /node_modules\/natural\/(index\.js|lib\/natural\/index\.js)$/.test(input),
      ),
      importMs: { median: round(median(importRuns)), runs: importRuns },
      processMs: { median: round(median(processRuns)), runs: processRuns },
    });
  }

  console.log(
    formatTable(
      ['function', 'KiB', '< 1 MiB', 'import ms (median)', 'process ms (median)', 'largest input'],
      results.map((result) => [
        result.function,
        round(result.bytes / 1024),
        result.underOneMiB ? 'yes' : 'NO',
        result.importMs.median,
        result.processMs.median,
        `${result.largestInputs[0]?.input} (${round((result.largestInputs[0]?.bytes ?? 0) / 1024)} KiB)`,
      ]),
    ),
  );
  const file = writeResults('bench-bundles', {
    ranAt: new Date().toISOString(),
    machine: machineInfo(),
    importRuns: IMPORT_RUNS,
    options: BUNDLE_OPTIONS,
    results,
  });
  console.log(`\nwrote ${file}`);
  if (results.some((result) => !result.underOneMiB || result.naturalWholeIndex))
    process.exitCode = 1;
}

await main();

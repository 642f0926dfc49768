import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNewswatchApp } from '#infra/newswatch-app.ts';
import { PROJECT_ROOT } from '#infra/project-root.ts';

const MIB = 1024 * 1024;

interface FunctionAsset {
  entry: string;
  dir: string;
}

// Inside the repository so the bundles resolve the external AWS SDK from node_modules, as Lambda
// resolves it from its runtime.
const cacheDir = resolve(PROJECT_ROOT, 'node_modules/.cache/newswatch-infra');
let outdir: string;
let assets: FunctionAsset[];

function entryOf(dir: string): string {
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as {
    outputs: Record<string, { entryPoint?: string }>;
  };
  return Object.values(meta.outputs).find((output) => output.entryPoint)?.entryPoint ?? '';
}

function asset(entry: string): FunctionAsset {
  const found = assets.find((candidate) => candidate.entry === entry);
  if (!found) throw new Error(`no bundle for ${entry}`);
  return found;
}

describe('synthesis with bundling (offline, local esbuild)', () => {
  beforeAll(() => {
    mkdirSync(cacheDir, { recursive: true });
    outdir = mkdtempSync(join(cacheDir, 'synth-'));
    const { app } = buildNewswatchApp({
      appProps: { outdir },
      cwd: '/nonexistent-newswatch-config-dir',
      env: {},
    });
    app.synth();
    assets = readdirSync(outdir)
      .filter((name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'index.mjs')))
      .map((name) => ({ dir: join(outdir, name), entry: entryOf(join(outdir, name)) }));
  });

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('bundles one asset per function', () => {
    expect(assets.map((bundle) => bundle.entry).sort()).toEqual([
      'functions/alert/handler.ts',
      'functions/api/handler.ts',
      'functions/ingest/handler.ts',
      'functions/schedule/handler.ts',
    ]);
  });

  it('keeps every function bundle under 1 MiB minified', () => {
    for (const bundle of assets) {
      expect(statSync(join(bundle.dir, 'index.mjs')).size, bundle.entry).toBeLessThan(MIB);
    }
  });

  it("never bundles natural's whole index", () => {
    for (const bundle of assets) {
      const inputs = Object.keys(
        (
          JSON.parse(readFileSync(join(bundle.dir, 'index.meta.json'), 'utf8')) as {
            inputs: Record<string, unknown>;
          }
        ).inputs,
      );
      const wholeIndex = inputs.filter((input) =>
        /node_modules\/natural\/(index\.js|lib\/natural\/index\.js)$/.test(input),
      );
      expect(wholeIndex, bundle.entry).toEqual([]);
    }
  });

  it('decodes feeds with the code local runs use: decode-body.ts, no charset tables of its own', () => {
    const inputs = Object.keys(
      (
        JSON.parse(
          readFileSync(join(asset('functions/ingest/handler.ts').dir, 'index.meta.json'), 'utf8'),
        ) as { inputs: Record<string, unknown> }
      ).inputs,
    );
    expect(inputs).toContain('shared/feeds/decode-body.ts');
    expect(inputs.filter((input) => /iconv-lite|bundle-shims/.test(input))).toEqual([]);
  });

  it('leaves the AWS SDK to the runtime', () => {
    for (const bundle of assets) {
      const meta = readFileSync(join(bundle.dir, 'index.meta.json'), 'utf8');
      expect(meta, bundle.entry).not.toMatch(/node_modules\/@aws-sdk\//);
    }
  });

  it('copies the seeds next to the ingest and api bundles and the feed list next to the schedule and api bundles', () => {
    const seeds = readdirSync(resolve(PROJECT_ROOT, 'seeds'));
    for (const entry of ['functions/ingest/handler.ts', 'functions/api/handler.ts']) {
      expect(readdirSync(join(asset(entry).dir, 'seeds')).sort(), entry).toEqual(seeds.sort());
    }
    for (const entry of ['functions/schedule/handler.ts', 'functions/api/handler.ts']) {
      expect(existsSync(join(asset(entry).dir, 'feeds', 'feeds.json')), entry).toBe(true);
    }
  });

  it('writes source maps next to every bundle', () => {
    for (const bundle of assets) {
      expect(existsSync(join(bundle.dir, 'index.mjs.map')), bundle.entry).toBe(true);
    }
  });

  it('loads every function bundle as an ES module in a fresh Node process', () => {
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'newswatch-test',
      SEEDS_DIR: join(asset('functions/ingest/handler.ts').dir, 'seeds'),
      FEEDS_FILE: join(asset('functions/schedule/handler.ts').dir, 'feeds', 'feeds.json'),
      INGEST_FUNCTION_NAME: 'newswatch-ingest',
      INTERVAL_MINUTES: '15',
      INGEST_BATCH_SIZE: '10',
      MAX_CONCURRENT_INGESTS: '10',
      ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    };
    for (const { entry } of assets) {
      const bundle = join(asset(entry).dir, 'index.mjs');
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(bundle)}); if (typeof m.handler !== 'function') process.exit(3);`,
        ],
        { env, encoding: 'utf8' },
      );
      expect(run.stderr, entry).not.toMatch(/Error/);
      expect(run.status, entry).toBe(0);
    }
  });
});

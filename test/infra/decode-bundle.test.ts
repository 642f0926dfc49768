import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_OPTIONS } from '#infra/bundle-options.ts';
import { PROJECT_ROOT } from '#infra/project-root.ts';
import { decodeBody } from '#shared/feeds/decode-body.ts';
import {
  type CharsetSample,
  declaredCorpusFeeds,
  reencodedCorpusSamples,
} from '../fixtures/feeds/charset-samples.ts';
import { sharedData } from '../support/shared-data.ts';

const cacheDir = resolve(PROJECT_ROOT, 'node_modules/.cache/newswatch-infra');

/**
 * The feed decoder built with the Lambda bundles' esbuild settings and run in a fresh Node
 * process must read every sample exactly as the local path (this process) does.
 */
describe.runIf(sharedData('corpus') !== undefined)(
  'the bundled feed decoder on the corpus charsets',
  () => {
    let dir: string;
    let samples: CharsetSample[];
    let bundled: { text: string; encoding: string }[];

    beforeAll(async () => {
      mkdirSync(cacheDir, { recursive: true });
      dir = mkdtempSync(join(cacheDir, 'decode-'));
      await build({
        entryPoints: [resolve(PROJECT_ROOT, 'shared/feeds/decode-body.ts')],
        outfile: join(dir, 'decode-body.mjs'),
        bundle: true,
        platform: 'node',
        target: BUNDLE_OPTIONS.target,
        format: BUNDLE_OPTIONS.format,
        minify: BUNDLE_OPTIONS.minify,
        external: [...BUNDLE_OPTIONS.external],
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        banner: { js: BUNDLE_OPTIONS.banner },
        logLevel: 'error',
      });
      samples = [...reencodedCorpusSamples(), ...declaredCorpusFeeds()];
      writeFileSync(
        join(dir, 'samples.json'),
        JSON.stringify(samples.map((s) => [s.bytes.toString('base64'), s.contentType])),
      );
      const script = `
        import { readFileSync } from 'node:fs';
        const { decodeBody } = await import(${JSON.stringify(join(dir, 'decode-body.mjs'))});
        const samples = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'samples.json'))}, 'utf8'));
        const out = samples.map(([bytes, type]) => decodeBody(Buffer.from(bytes, 'base64'), type));
        process.stdout.write(JSON.stringify(out.map(({ text, encoding }) => ({ text, encoding }))));`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      if (run.status !== 0) throw new Error(`bundled decoder failed: ${run.stderr}`);
      bundled = JSON.parse(run.stdout) as { text: string; encoding: string }[];
    });

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('decodes every sample to the text the local path gives, in the same charset', () => {
      expect(bundled).toHaveLength(samples.length);
      samples.forEach((sample, index) => {
        const local = decodeBody(sample.bytes, sample.contentType);
        expect(bundled[index], sample.name).toEqual({ text: local.text, encoding: local.encoding });
        expect(local.text, sample.name).toBe(sample.expected);
      });
    });
  },
);

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_OPTIONS, FUNCTION_ENTRIES } from '#infra/bundle-options.ts';
import { PROJECT_ROOT } from '#infra/project-root.ts';

/**
 * The deployed functions run on the AWS SDK the Lambda runtime ships, not on the one the tests
 * run (docs/deploy.md, "Which AWS SDK the functions run on"): bundling the tested SDK puts every
 * bundle over the 1 MiB budget. What the tests can hold: that choice, and that the SDK the tests
 * run is one exact, pinned version of each package the bundles leave to the runtime.
 */

interface Manifest {
  dependencies: Record<string, string>;
}

const manifest = JSON.parse(
  readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8'),
) as Manifest;

function installedVersion(name: string): string {
  const path = resolve(PROJECT_ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/** The packages each function's bundle imports at run time instead of carrying them. */
let externalImports: Map<string, Set<string>>;

beforeAll(async () => {
  externalImports = new Map();
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    const result = await build({
      entryPoints: [resolve(PROJECT_ROOT, entry)],
      bundle: true,
      write: false,
      outdir: '/nonexistent-newswatch-out',
      platform: 'node',
      target: BUNDLE_OPTIONS.target,
      format: BUNDLE_OPTIONS.format,
      external: [...BUNDLE_OPTIONS.external],
      mainFields: [...BUNDLE_OPTIONS.mainFields],
      metafile: true,
      logLevel: 'silent',
    });
    const packages = new Set<string>();
    for (const input of Object.values(result.metafile.inputs)) {
      for (const imported of input.imports) {
        if (!imported.external || imported.path.startsWith('node:')) continue;
        const match = /^(@[^/]+\/[^/]+|[^/]+)/.exec(imported.path);
        if (match?.[1]) packages.add(match[1]);
      }
    }
    externalImports.set(name, packages);
  }
});

describe('which AWS SDK the functions run on', () => {
  it("leaves the AWS SDK to the Lambda runtime's copy, and nothing else", () => {
    expect(BUNDLE_OPTIONS.external).toEqual(['@aws-sdk/*']);
    for (const [name, packages] of externalImports) {
      expect(
        [...packages].filter(
          (pkg) => !pkg.startsWith('@aws-sdk/') && !builtinModules.includes(pkg),
        ),
        name,
      ).toEqual([]);
    }
  });

  it('tests every SDK package the bundles import at one exact, installed version', () => {
    const imported = new Set([...externalImports.values()].flatMap((packages) => [...packages]));
    const sdk = [...imported].filter((pkg) => pkg.startsWith('@aws-sdk/')).sort();
    expect(sdk.length).toBeGreaterThan(0);
    for (const pkg of sdk) {
      const pinned = manifest.dependencies[pkg];
      expect(pinned, `${pkg} is a dependency`).toBeDefined();
      expect(pinned, `${pkg} is pinned exactly`).toMatch(/^\d+\.\d+\.\d+$/);
      expect(installedVersion(pkg), `${pkg} installed as pinned`).toBe(pinned);
    }
  });

  it('keeps the Powertools packages at one exact version', () => {
    const versions = Object.entries(manifest.dependencies)
      .filter(([name]) => name.startsWith('@aws-lambda-powertools/'))
      .map(([name, version]) => {
        expect(installedVersion(name), name).toBe(version);
        return version;
      });
    expect(versions.length).toBeGreaterThanOrEqual(3);
    expect(new Set(versions)).toEqual(new Set([versions[0]]));
    expect(versions[0]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

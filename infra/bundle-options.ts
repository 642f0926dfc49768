/**
 * esbuild settings shared by the function construct and `bench/bench-bundles.ts`, so the
 * benchmark measures the very bundles that are deployed. Kept free of aws-cdk-lib imports.
 */
export const BUNDLE_OPTIONS = {
  /** Matches the construct's runtime (Node.js 24). */
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  // The map points at the repository's sources; embedding them would only grow the asset.
  sourcesContent: false,
  // The functions run on the AWS SDK v3 the Lambda runtime ships. Bundling the tested one puts
  // every bundle over 1 MiB (docs/deploy.md, "Which AWS SDK the functions run on");
  // test/infra/sdk-choice.test.ts holds this choice.
  external: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  // ESM output still meets CommonJS dependencies that call require().
  banner:
    "import { createRequire as __nwCreateRequire } from 'module'; const require = __nwCreateRequire(import.meta.url);",
} as const;

/** The handler entry of each function, relative to the project root. */
export const FUNCTION_ENTRIES = {
  schedule: 'functions/schedule/handler.ts',
  ingest: 'functions/ingest/handler.ts',
  alert: 'functions/alert/handler.ts',
  api: 'functions/api/handler.ts',
} as const;

import { App } from 'aws-cdk-lib';
import { buildNewswatchApp, type NewswatchApp } from '#infra/newswatch-app.ts';

/** Context that skips esbuild: most infra tests assert on templates, not on bundles. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

/** A fresh newswatch app per test, hermetic (no config file, no NEWSWATCH_* variables), unbundled. */
export function buildTestApp(context: Record<string, unknown> = {}): NewswatchApp {
  return buildNewswatchApp({
    appProps: { context: { ...NO_BUNDLING, ...context } },
    cwd: '/nonexistent-newswatch-config-dir',
    env: {},
  });
}

/** A bare app with bundling skipped, for construct-level tests. */
export function unbundledApp(): App {
  return new App({ context: NO_BUNDLING });
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository's root, whatever the test file's depth. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The read-only data folder beside the repository (corpus, eval sets). */
export const SHARED_DATA_DIR = resolve(REPO_ROOT, '../shared');

/**
 * The path of `relative` under `../shared` (the corpus and labeled sets beside the checkout), or
 * undefined when it is absent, so the tests that read it skip in a user's clone, saying why.
 * Under CI the data is always laid beside the clone: absent there, the tests must fail rather
 * than pass by skipping, so this throws.
 */
export function sharedData(relative: string): string | undefined {
  const path = resolve(SHARED_DATA_DIR, relative);
  if (existsSync(path)) return path;
  if (process.env.CI) {
    throw new Error(`../shared/${relative} is missing; CI must run the tests that read it.`);
  }
  process.stderr.write(`Skipping the tests that read ../shared/${relative}: it is absent.\n`);
  return undefined;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The read-only data folder beside the repository (corpus, eval sets). */
export const SHARED_DATA_DIR = resolve(import.meta.dirname, '../../../shared');

/**
 * Whether `../shared/<folder>` is there for the tests named by `what`. Absent, they skip and say
 * so; under CI=true its absence fails the run instead, so CI never passes on skipped tests.
 */
export function hasSharedData(folder: string, what: string): boolean {
  const path = resolve(SHARED_DATA_DIR, folder);
  if (existsSync(path)) return true;
  if (process.env.CI) throw new Error(`${what} needs ${path}, which is missing under CI=true`);
  process.stderr.write(`skipping ${what}: ${path} is missing\n`);
  return false;
}

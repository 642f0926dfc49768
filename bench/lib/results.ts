import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where every benchmark writes `<name>.json`. */
export const RESULTS_DIR = resolve(import.meta.dirname, '..', 'results');

/** Writes one benchmark's results as pretty JSON; returns the file path. */
export function writeResults(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = resolve(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Reads a benchmark's last results, or undefined when it has none or they are unreadable. */
export function readResults(name: string): unknown {
  const file = resolve(RESULTS_DIR, `${name}.json`);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

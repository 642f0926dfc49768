import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const SEEDS_DIR = join(REPO_ROOT, 'seeds');
/** Two short articles on another topic (Airbus and Boeing), with no overlay. */
export const SECOND_TOPIC_DIR = join(REPO_ROOT, 'test/fixtures/profile/second-topic');

export const SEED_TEXT = `Oysters return to the Chesapeake Bay

Oyster reefs in the Chesapeake Bay are recovering after a decade of restoration by Maryland and Virginia. Maryland planted billions of young oysters on sanctuary reefs, and Virginia expanded its harvest limits as the reefs grew.
Scientists in Maryland say the oysters filter the water of the Chesapeake Bay and shelter fish and crabs.
Growers in Tonga and Tongan scientists visited Maryland this spring; Mexico sent a team too, and both Tonga and Mexico plan reefs of their own.`;

/** A throwaway seeds folder holding the given files. */
export function seedsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-seeds-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

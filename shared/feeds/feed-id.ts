import { createHash } from 'node:crypto';

/** Stable id of a feed, derived from its URL so the same list always maps to the same state. */
export function feedIdFor(url: string): string {
  return createHash('sha256').update(url.trim()).digest('hex').slice(0, 16);
}

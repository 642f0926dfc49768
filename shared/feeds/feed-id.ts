import { sha256Hex } from './sha256.ts';

/** Stable id of a feed, derived from its URL so the same list always maps to the same state. */
export function feedIdFor(url: string): string {
  return sha256Hex(url.trim()).slice(0, 16);
}

import { createHash } from 'node:crypto';

/** Characters of one digest: 48 bits, so a feed's few hundred items practically never collide. */
const DIGEST_CHARS = 8;
/** Older items kept beside the current document's, for feeds that drop an item and bring it back. */
const MIN_KEPT = 100;
/** Most digests one feed state holds (3.2 KB), whatever the document size. */
export const MAX_SEEN_ITEMS = 400;

const HEX_PREFIX = /^[0-9a-f]{12}/i;

/** The digest of an item id: ids are hex hashes already, anything else is hashed first. */
export function itemDigest(itemId: string): string {
  const hex = HEX_PREFIX.test(itemId)
    ? itemId.slice(0, 12)
    : createHash('sha256').update(itemId).digest('hex').slice(0, 12);
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** The digests a feed state records; an absent or malformed record is an empty set. */
export function seenDigests(encoded: string | undefined): Set<string> {
  const digests = new Set<string>();
  if (!encoded || encoded.length % DIGEST_CHARS !== 0) return digests;
  for (let at = 0; at < encoded.length; at += DIGEST_CHARS) {
    digests.add(encoded.slice(at, at + DIGEST_CHARS));
  }
  return digests;
}

/**
 * The record after a poll: the digests of this document's items first, then earlier ones not in
 * it, newest first, up to twice the document (at least MIN_KEPT, at most MAX_SEEN_ITEMS). The
 * digests of items that could not be scored are left out, so the document's size comes apart
 * (`documentItems`).
 */
export function recordSeen(
  previous: string | undefined,
  documentDigests: string[],
  documentItems = documentDigests.length,
): string {
  const limit = Math.min(MAX_SEEN_ITEMS, Math.max(2 * documentItems, MIN_KEPT));
  const kept = new Set<string>();
  for (const digest of documentDigests) {
    if (kept.size >= limit) break;
    kept.add(digest);
  }
  for (const digest of seenDigests(previous)) {
    if (kept.size >= limit) break;
    kept.add(digest);
  }
  return [...kept].join('');
}

import crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string;

// crypto.hash (Node 20.12 and later) hashes in one call without a Hash object, about a third of
// the cost for the short keys hashed per item; older Node 20 releases lack it.
const oneShot = (crypto as { hash?: OneShotHash }).hash;

/** Hex SHA-256 of a string (as UTF-8) or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot
    ? oneShot('sha256', data, 'hex')
    : crypto.createHash('sha256').update(data).digest('hex');
}

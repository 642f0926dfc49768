import crypto from 'node:crypto';

type Encoding = 'hex' | 'base64url';
type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: Encoding) => string;

// crypto.hash (Node 20.12 and later) hashes in one call without a Hash object, about a third of
// the cost for the short keys hashed per item; older Node 20 releases lack it.
const oneShot = (crypto as { hash?: OneShotHash }).hash;

function sha256(data: string | Uint8Array, encoding: Encoding): string {
  return oneShot
    ? oneShot('sha256', data, encoding)
    : crypto.createHash('sha256').update(data).digest(encoding);
}

/** Hex SHA-256 of a string (as UTF-8) or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return sha256(data, 'hex');
}

/** Base64url SHA-256 of a string (as UTF-8) or of bytes. */
export function sha256Base64url(data: string | Uint8Array): string {
  return sha256(data, 'base64url');
}

import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { ipLiteralOf, isBlockedAddress } from './address-guard.ts';

/** Resolves a host name to every address it has. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const resolveAll: ResolveHost = (hostname) => lookup(hostname, { all: true });

/**
 * Why newswatch must not fetch this URL (its host is, or resolves to, a non-public address), or
 * undefined. A name that does not resolve now passes: the fetch-time guard checks every address
 * dialed, so this only turns away early what the sweep would refuse anyway.
 */
export async function blockedAddressReason(
  url: URL,
  resolve: ResolveHost = resolveAll,
): Promise<string | undefined> {
  const literal = ipLiteralOf(url);
  if (literal !== undefined) {
    return isBlockedAddress(literal) ? `${url.hostname} is a non-public address` : undefined;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(url.hostname);
  } catch {
    return undefined;
  }
  const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
  return blocked
    ? `${url.hostname} resolves to ${blocked.address}, a non-public address`
    : undefined;
}

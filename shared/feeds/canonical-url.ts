const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  '_hsenc',
  '_hsmi',
  '_ga',
  '_gl',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'wt_mc',
  'cmpid',
  'ocid',
  'smid',
  'sr_share',
  'at_medium',
  'at_campaign',
  'ito',
  'ns_mchannel',
  'ns_source',
  'ns_campaign',
  'ns_linkname',
  'ns_fee',
  'rss',
  'ref_src',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'at_'];
const MAX_URL_LENGTH = 2048;

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** A link's canonical URL and its dedupe key. */
export interface CanonicalLink {
  url: string;
  dedupeKey: string;
}

/**
 * The canonical http(s) form of a link, resolved against a base: scheme and host lowercased,
 * default port, fragment and tracking parameters dropped; undefined when it is not http(s).
 */
export function canonicalUrl(raw: string, base?: string): string | undefined {
  return canonicalLink(raw, base)?.url;
}

/** canonicalUrl and urlDedupeKey of a link at the cost of one URL parse. */
export function canonicalLink(raw: string, base?: string): CanonicalLink | undefined {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return undefined;
  // A fragment only ever comes from the link itself, never from the base.
  if (trimmed.includes('#')) url.hash = '';
  for (const name of new Set(url.searchParams.keys())) {
    if (isTrackingParam(name)) url.searchParams.delete(name);
  }
  const text = url.href;
  return text.length > MAX_URL_LENGTH ? undefined : { url: text, dedupeKey: dedupeKeyOf(url) };
}

/** The key under which two links count as the same story: canonical URL without `www.` or trailing slash. */
export function urlDedupeKey(canonical: string): string {
  return dedupeKeyOf(new URL(canonical));
}

function dedupeKeyOf(url: URL): string {
  url.searchParams.sort();
  // http and https of the same page are the same story.
  return `url:${url.host.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}${url.search}`;
}

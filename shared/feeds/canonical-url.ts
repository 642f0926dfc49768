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

/** A link's canonical URL and its dedupe key, computed from one parse. */
export interface CanonicalLink {
  url: string;
  dedupeKey: string;
}

/** Parse and canonicalize in place; undefined when the link is not a usable http(s) URL. */
function canonicalUrlObject(raw: string, base?: string): URL | undefined {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return undefined;
  // A fragment only ever comes from the link itself, never from the base.
  if (trimmed.includes('#')) url.hash = '';
  if (url.search !== '') {
    const params = [...url.searchParams];
    const kept = params.filter(([name]) => !isTrackingParam(name));
    if (kept.length !== params.length) {
      url.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();
    }
  }
  return url;
}

/**
 * The canonical http(s) form of a link, resolved against a base: scheme and host lowercased,
 * default port, fragment and tracking parameters dropped; undefined when it is not http(s).
 */
export function canonicalUrl(raw: string, base?: string): string | undefined {
  const text = canonicalUrlObject(raw, base)?.href;
  return text === undefined || text.length > MAX_URL_LENGTH ? undefined : text;
}

/** canonicalUrl and urlDedupeKey of a link at the cost of one URL parse. */
export function canonicalLink(raw: string, base?: string): CanonicalLink | undefined {
  const url = canonicalUrlObject(raw, base);
  if (!url) return undefined;
  const text = url.href;
  return text.length > MAX_URL_LENGTH ? undefined : { url: text, dedupeKey: dedupeKeyOf(url) };
}

/** The key under which two links count as the same story: canonical URL without `www.` or trailing slash. */
export function urlDedupeKey(canonical: string): string {
  return dedupeKeyOf(new URL(canonical));
}

/** urlDedupeKey of a URL already parsed. */
export function dedupeKeyOf(url: URL): string {
  const hostname = url.hostname;
  const host = hostname.startsWith('www.') ? hostname.slice(4) : hostname;
  const pathname = url.pathname;
  let end = pathname.length;
  while (end > 0 && pathname.charCodeAt(end - 1) === 0x2f) end--;
  const path = pathname.length > 1 ? pathname.slice(0, end) : '';
  let search = '';
  if (url.search !== '') {
    const query = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (query.length > 0) search = `?${new URLSearchParams(query).toString()}`;
  }
  const port = url.port === '' ? '' : `:${url.port}`;
  // http and https of the same page are the same story.
  return `url:${host}${port}${path}${search}`;
}

/** Request headers a browser may send: SigV4 signing headers, and the local server's key. */
const ALLOWED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
  'x-api-key',
].join(', ');

const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS headers for a response to `origin`: the origin is echoed when configured (or `*` when
 * any origin is); an origin not on the list gets none, so the browser withholds the response.
 */
export function corsHeaders(
  origin: string | undefined,
  allowedOrigins: readonly string[],
): Record<string, string> {
  if (allowedOrigins.length === 0) return {};
  if (allowedOrigins.includes('*')) {
    return { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-request-id' };
  }
  // The answer depends on Origin, so caches must key on it even when the origin is refused.
  if (!origin || !allowedOrigins.includes(origin)) return { vary: 'origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'x-request-id',
    vary: 'origin',
  };
}

/** Headers answering a CORS preflight for a route that allows `methods`. */
export function preflightHeaders(
  origin: string | undefined,
  allowedOrigins: readonly string[],
  methods: readonly string[],
): Record<string, string> {
  const base = corsHeaders(origin, allowedOrigins);
  if (!base['access-control-allow-origin']) return base;
  return {
    ...base,
    'access-control-allow-methods': methods.join(', '),
    'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
    'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
  };
}

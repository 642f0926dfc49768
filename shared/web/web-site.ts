import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiRequest, ApiResponse, ApiRouter } from '#shared/api/api-types.ts';

/** The page's own files: plain ES modules, CSS and an HTML shell, served as they are. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/** Where the page's files are served; the page itself is at `/`. */
export const WEB_PREFIX = '/web/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Only the page's own files, and only its own origin for fetches: no inline script or style, no
 * third-party request, no framing. Feed text reaches the page as data and is only ever set as
 * text, so even a miss there could not run anything under this policy.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** Answers the page's requests (GET or HEAD of `/` and `/web/<file>`); anything else is undefined. */
export type WebSite = (request: Pick<ApiRequest, 'method' | 'path'>) => ApiResponse | undefined;

/**
 * The page's files, read once: a fixed set of paths, so no request path ever reaches the file
 * system. The files change only with the package, so they are revalidated, not re-read.
 */
export function createWebSite(root: string = WEB_ROOT): WebSite {
  const files = new Map<string, { body: string; type: string }>();
  for (const name of readdirSync(root)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(root, name), 'utf8'), type });
  }
  const shell = files.get('index.html');
  if (!shell) throw new Error(`the web page is missing: no index.html in ${root}`);
  return (request) => {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const file =
      request.path === '/' || request.path === '/index.html'
        ? shell
        : request.path.startsWith(WEB_PREFIX)
          ? files.get(request.path.slice(WEB_PREFIX.length))
          : undefined;
    if (!file) return undefined;
    return {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'content-type': file.type,
        'cache-control': 'no-cache',
      },
      body: method === 'HEAD' ? '' : file.body,
    };
  };
}

/** The API router with the page in front: `/` and `/web/<file>` are the page's, the rest the API's. */
export function withWebSite(router: ApiRouter, site: WebSite): ApiRouter {
  return async (request) => site(request) ?? router(request);
}

import { cleanText } from './text-clean.ts';

/** Stable codes for everything that can go wrong with one feed. */
export const FEED_ERROR_CODES = [
  'NOT_A_FEED',
  'TOO_LARGE',
  'TIMEOUT',
  'SSRF_BLOCKED',
  'MALFORMED_XML',
  'HTTP_STATUS',
  'TOO_MANY_REDIRECTS',
  'UNSUPPORTED_SCHEME',
  'NETWORK',
  'DECODE',
  'GONE',
  'RATE_LIMITED',
  'TOO_DEEP',
  'INTERNAL',
] as const;

export type FeedErrorCode = (typeof FEED_ERROR_CODES)[number];

/** A failure of one feed: counted against that feed only, never against the sweep. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly details: {
      feedUrl?: string;
      httpStatus?: number;
      /** Seconds the server asked us to wait (Retry-After). */
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    // Messages quote what servers sent (headers, element names, socket errors) and end up in
    // the feed's stored health, the API and the terminal: cleaned like any text from outside.
    super(cleanText(message), { cause: details.cause });
  }
}

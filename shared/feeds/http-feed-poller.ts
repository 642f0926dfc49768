import { z } from 'zod';
import { FeedError } from './feed-error.ts';
import type { FeedPoller, FeedValidators, PollRequest, PollResult } from './feed-poller.ts';
import { fetchFeed } from './fetch-feed.ts';
import { HostLimiter } from './host-limiter.ts';
import { parseFeedDocument } from './parse-feed.ts';
import { sha256Hex } from './sha256.ts';
import { DEFAULT_USER_AGENT } from './user-agent.ts';

export const FeedPollerOptionsSchema = z.object({
  /** Let feeds on loopback, private and link-local addresses be fetched (local use and tests). */
  allowPrivateNetwork: z.boolean(),
  /** Whole fetch, redirects included. */
  timeoutMs: z.number().int().positive(),
  /** Cap on the decompressed body. */
  maxBodyBytes: z.number().int().positive(),
  /** Requests in flight at once to one host. */
  perHostConcurrency: z.number().int().min(1).max(16),
  userAgent: z.string().min(1).optional(),
  maxItems: z.number().int().positive().optional(),
});

export type FeedPollerOptions = z.infer<typeof FeedPollerOptionsSchema>;

/** A FeedPoller over HTTP(S): conditional GET, limits, address guard, per-host politeness. */
export function createFeedPoller(options: FeedPollerOptions): FeedPoller {
  const settings = FeedPollerOptionsSchema.parse(options);
  const limiter = new HostLimiter(settings.perHostConcurrency);
  const fetchOptions = {
    allowPrivateNetwork: settings.allowPrivateNetwork,
    timeoutMs: settings.timeoutMs,
    maxBodyBytes: settings.maxBodyBytes,
    userAgent: settings.userAgent ?? DEFAULT_USER_AGENT,
  };

  async function poll(request: PollRequest): Promise<PollResult> {
    const feedUrl = request.feed.url;
    const previous: FeedValidators = request.unconditional ? {} : request.previous;
    const fetched = await fetchFeed(feedUrl, previous, fetchOptions);
    if (fetched.kind === 'not-modified') {
      const validators = { ...request.previous, ...fetched.validators };
      return { kind: 'not-modified', httpStatus: fetched.status, validators };
    }
    const validators = { ...fetched.validators, bodyHash: sha256Hex(fetched.body) };
    // Servers that never answer 304 still send the same bytes when nothing changed.
    if (!request.unconditional && request.previous.bodyHash === validators.bodyHash) {
      return { kind: 'not-modified', httpStatus: fetched.status, validators };
    }
    const parsed = await parseFeedDocument(fetched.body, {
      feedUrl,
      baseUrl: fetched.finalUrl,
      fetchedAt: new Date(),
      contentType: fetched.contentType,
      contentLocation: fetched.contentLocation,
      maxItems: settings.maxItems,
    });
    return { kind: 'parsed', httpStatus: fetched.status, validators, ...parsed };
  }

  return {
    poll(request) {
      let host: string;
      try {
        host = new URL(request.feed.url).host.toLowerCase();
      } catch {
        return Promise.reject(
          new FeedError('UNSUPPORTED_SCHEME', `not a URL: ${request.feed.url}`, {
            feedUrl: request.feed.url,
          }),
        );
      }
      return limiter.run(host, () => poll(request));
    },
  };
}

import type { NormalizedItem } from './feed-item.ts';
import type { FeedSpec } from './feed-list-schema.ts';

/** HTTP validators and body hash remembered between polls of one feed. */
export interface FeedValidators {
  etag?: string;
  lastModified?: string;
  bodyHash?: string;
}

export interface PollRequest {
  feed: FeedSpec;
  previous: FeedValidators;
  /** Ignore validators and the body hash this time (servers with stale ETags). */
  unconditional?: boolean;
}

export type PollResult =
  | { kind: 'not-modified'; httpStatus: number; validators: FeedValidators }
  | {
      kind: 'parsed';
      httpStatus: number;
      validators: FeedValidators;
      feed: { title?: string; link?: string };
      items: NormalizedItem[];
      warnings: string[];
    };

/** Fetches, decodes, parses and normalizes one feed. Failures throw FeedError. */
export interface FeedPoller {
  poll(request: PollRequest): Promise<PollResult>;
}

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
  /** Entry digests of the feed's last parsed document: unchanged entries are not parsed again. */
  knownEntries?: ReadonlySet<string>;
}

export type PollResult =
  | { kind: 'not-modified'; httpStatus: number; validators: FeedValidators }
  | {
      kind: 'parsed';
      httpStatus: number;
      validators: FeedValidators;
      feed: { title?: string; link?: string };
      /** The items of the entries that changed (all of them when the document was read whole). */
      items: NormalizedItem[];
      warnings: string[];
      /** Digests of the document's entries, for the next poll's `knownEntries`. */
      entries?: string[];
      /** Entries left out because the last document had them byte for byte (none when absent). */
      unchangedItems?: number;
    };

/** Fetches, decodes, parses and normalizes one feed. Failures throw FeedError. */
export interface FeedPoller {
  poll(request: PollRequest): Promise<PollResult>;
}

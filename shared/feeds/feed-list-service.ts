import type { FeedListStore } from '#shared/store/store-ports.ts';
import { canonicalUrl } from './canonical-url.ts';
import { blockedAddressReason, type ResolveHost } from './feed-address-check.ts';
import { feedIdFor } from './feed-id.ts';
import { DuplicateFeedError, FeedInputError, FeedNotListedError } from './feed-list-errors.ts';
import { type FeedSpec, FeedSpecSchema } from './feed-list-schema.ts';
import type { ListedFeed } from './listed-feed.ts';

export interface FeedListServiceDeps {
  store: FeedListStore;
  /** The feeds a store that never held a list starts with (the bundled seeds/feeds.json or OPML). */
  seed: () => Promise<FeedSpec[]>;
  /** Feeds on loopback and private addresses may be added (the local runner's setting). */
  allowPrivateNetwork: boolean;
  /** @default DNS through the system resolver */
  resolveHost?: ResolveHost;
  now?: () => Date;
}

/** What an import did with each feed of the file. */
export interface FeedImport {
  added: ListedFeed[];
  /** Feeds the list already held. */
  duplicates: { url: string }[];
  /** Feeds refused, each with the reason. */
  refused: { url: string; reason: string }[];
}

/** The use cases on the stored feed list, for the CLI, the API and the schedule alike. */
export interface FeedListService {
  /** Every listed feed, by name; a store that never held a list is seeded first. */
  list(): Promise<ListedFeed[]>;
  /** Validates (zod), cleans and guards one feed, then adds it. */
  add(input: unknown): Promise<ListedFeed>;
  /** Removes the feed with this id, or with this URL (compared canonically). */
  remove(idOrUrl: string): Promise<ListedFeed>;
  /** Adds every feed not listed yet; one bad feed is reported, never stops the rest. */
  importFeeds(feeds: readonly FeedSpec[]): Promise<FeedImport>;
}

/** The key two URLs of one feed share; undefined when the URL is not one newswatch can fetch. */
function feedKey(url: string): string | undefined {
  return canonicalUrl(url);
}

function duplicate(url: string, feedId: string): DuplicateFeedError {
  return new DuplicateFeedError(url, `the feed list already holds ${url} (feed ${feedId})`);
}

function labelOf(feed: ListedFeed): string {
  return feed.name ?? feed.url;
}

export function createFeedListService(deps: FeedListServiceDeps): FeedListService {
  const now = deps.now ?? (() => new Date());

  const listed = (spec: FeedSpec): ListedFeed => ({
    feedId: feedIdFor(spec.url),
    ...spec,
    addedAt: now().toISOString(),
  });

  async function current(): Promise<ListedFeed[]> {
    const stored = await deps.store.readFeedList();
    if (stored) return stored;
    const seen = new Set<string>();
    const first = (await deps.seed()).map(listed).filter((feed) => {
      const key = feedKey(feed.url) ?? feed.url;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    await deps.store.seedFeedList(first);
    // Another first run may have seeded meanwhile: the store's list is the one in force.
    return (await deps.store.readFeedList()) ?? first;
  }

  /** Validates and guards a feed, then adds it unless `known` (canonical key to id) holds it. */
  async function addOne(input: unknown, known: Map<string, string>): Promise<ListedFeed> {
    const parsed = FeedSpecSchema.safeParse(input);
    if (!parsed.success) {
      throw new FeedInputError(
        parsed.error.issues.map((issue) => ({
          field: issue.path.map(String).join('.') || '(feed)',
          message: issue.message,
        })),
      );
    }
    const spec = parsed.data;
    const key = feedKey(spec.url);
    if (key === undefined) {
      throw new FeedInputError([
        {
          field: 'url',
          message: 'must be an http or https URL of at most 2048 characters, without credentials',
        },
      ]);
    }
    const existing = known.get(key);
    if (existing !== undefined) throw duplicate(spec.url, existing);
    if (!deps.allowPrivateNetwork) {
      const reason = await blockedAddressReason(new URL(spec.url), deps.resolveHost);
      if (reason) {
        throw new FeedInputError([
          { field: 'url', message: `${reason}; newswatch fetches public addresses only` },
        ]);
      }
    }
    const feed = listed(spec);
    if (!(await deps.store.addListedFeed(feed)))
      throw new DuplicateFeedError(spec.url, feed.feedId);
    known.set(key, feed.feedId);
    return feed;
  }

  async function knownKeys(): Promise<Map<string, string>> {
    return new Map((await current()).map((feed) => [feedKey(feed.url) ?? feed.url, feed.feedId]));
  }

  const byName = async (): Promise<ListedFeed[]> =>
    [...(await current())].sort((a, b) => labelOf(a).localeCompare(labelOf(b)));

  return {
    list: byName,

    async add(input) {
      return addOne(input, await knownKeys());
    },

    async remove(idOrUrl) {
      const key = feedKey(idOrUrl);
      const feed = (await current()).find((candidate) =>
        key === undefined ? candidate.feedId === idOrUrl : feedKey(candidate.url) === key,
      );
      if (!feed || !(await deps.store.removeListedFeed(feed.feedId))) {
        throw new FeedNotListedError(idOrUrl);
      }
      return feed;
    },

    async importFeeds(feeds) {
      const known = await knownKeys();
      const result: FeedImport = { added: [], duplicates: [], refused: [] };
      for (const spec of feeds) {
        try {
          result.added.push(await addOne(spec, known));
        } catch (error) {
          if (error instanceof DuplicateFeedError) {
            result.duplicates.push({ url: spec.url });
          } else if (error instanceof FeedInputError) {
            result.refused.push({ url: spec.url, reason: error.message });
          } else {
            throw error;
          }
        }
      }
      return result;
    },
  };
}

import { canonicalLink } from '#shared/feeds/canonical-url.ts';
import { decodeBody } from '#shared/feeds/decode-body.ts';
import { type FetchOptions, fetchFeed } from '#shared/feeds/fetch-feed.ts';
import { parseFeedDocument } from '#shared/feeds/parse-feed.ts';
import { capLength, cleanText, htmlToText } from '#shared/feeds/text-clean.ts';

/** What a missed item says, as its page or its feed tells. */
export interface ItemText {
  title: string;
  summary: string;
  /** The site's name, when the page gives one. */
  feed?: string;
}

/** The link gave nothing to score: no title found, or it could not be fetched. */
export class ItemTextError extends Error {
  override readonly name = 'ItemTextError';
}

/** Pages put their head first: the meta tags are read from this much of the text. */
const HEAD_CHARS = 512 * 1024;
const FEED_TYPE = /\b(?:rss|atom|xml|json)\b/i;

/**
 * Fetches a missed item's link, through the feed fetcher and its address guard (every hop
 * checked, size and time bounded), and reads its title and description: from an HTML page's
 * Open Graph, Twitter or plain meta tags and its `<title>`, or, when the link is a feed, from
 * the feed's item with this link. Every text is cleaned before it is returned.
 */
export async function fetchItemText(url: string, options: FetchOptions): Promise<ItemText> {
  const fetched = await fetchFeed(url, {}, options);
  if (fetched.kind !== 'body') throw new ItemTextError(`${url} answered without a body`);
  const text = decodeBody(fetched.body, fetched.contentType).text;
  const found = looksLikeFeed(fetched.contentType, text)
    ? await feedItemText(url, fetched.body, fetched.contentType, fetched.finalUrl)
    : pageText(text);
  if (!found || found.title === '') {
    throw new ItemTextError(`found no title at ${url}; give it with --title (and --summary)`);
  }
  return found;
}

/** Title, description and site name from an HTML page's head. */
export function pageText(html: string): ItemText | undefined {
  const head = html.slice(0, HEAD_CHARS);
  const meta = metaContents(head);
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(head)?.[1];
  const title = first(meta.get('og:title'), meta.get('twitter:title'), titleTag);
  if (title === undefined) return undefined;
  const summary = first(
    meta.get('og:description'),
    meta.get('description'),
    meta.get('twitter:description'),
  );
  const site = first(meta.get('og:site_name'));
  return {
    title: capLength(title, 500),
    summary: capLength(summary ?? '', 5000),
    ...(site ? { feed: capLength(site, 300) } : {}),
  };
}

/** `property` or `name` (lower case) -> `content`, the first of each name winning. */
function metaContents(head: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const tag of head.matchAll(/<meta\b([^>]*)>/gi)) {
    const attributes = new Map<string, string>();
    for (const attribute of (tag[1] ?? '').matchAll(
      /([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g,
    )) {
      attributes.set(
        (attribute[1] ?? '').toLowerCase(),
        attribute[2] ?? attribute[3] ?? attribute[4] ?? '',
      );
    }
    const name = (attributes.get('property') ?? attributes.get('name'))?.toLowerCase();
    const content = attributes.get('content');
    if (name && content !== undefined && !found.has(name)) found.set(name, content);
  }
  return found;
}

/** The first value that is not empty once its entities are decoded and its text cleaned. */
function first(...values: (string | undefined)[]): string | undefined {
  for (const value of values) {
    if (value === undefined) continue;
    const text = cleanText(htmlToText(value));
    if (text !== '') return text;
  }
  return undefined;
}

function looksLikeFeed(contentType: string | undefined, text: string): boolean {
  if (contentType && /html/i.test(contentType)) return false;
  if (contentType && FEED_TYPE.test(contentType)) return true;
  return /^\s*(?:<\?xml|<rss\b|<feed\b|<rdf:RDF\b|\{)/.test(text.slice(0, 200));
}

/** The feed item whose link is `url` (compared in canonical form). */
async function feedItemText(
  url: string,
  body: Buffer,
  contentType: string | undefined,
  finalUrl: string,
): Promise<ItemText | undefined> {
  const wanted = canonicalLink(url)?.dedupeKey;
  const feed = await parseFeedDocument(body, {
    feedUrl: url,
    baseUrl: finalUrl,
    ...(contentType ? { contentType } : {}),
  });
  const item = feed.items.find(
    (candidate) => candidate.link && canonicalLink(candidate.link)?.dedupeKey === wanted,
  );
  if (!item) {
    throw new ItemTextError(
      `${url} is a feed with no item of that link; give the item's own link, or --title and --summary`,
    );
  }
  return {
    title: item.title,
    summary: item.summary,
    ...(feed.feed.title ? { feed: feed.feed.title } : {}),
  };
}

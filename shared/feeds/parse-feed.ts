import { canonicalUrl } from './canonical-url.ts';
import { decodeBody } from './decode-body.ts';
import { FeedError } from './feed-error.ts';
import { type ExtractedFeed, readXmlFeed } from './feed-formats.ts';
import type { NormalizedItem } from './feed-item.ts';
import { readJsonFeed } from './json-feed.ts';
import { parseLenientXml } from './lenient-xml.ts';
import { DEFAULT_MAX_ITEMS, FIELD_LIMITS, normalizeItems } from './normalize-items.ts';
import { capLength } from './text-clean.ts';

/** What one feed document holds, normalized. */
export interface ParsedFeed {
  feed: { title?: string; link?: string };
  items: NormalizedItem[];
  warnings: string[];
}

export interface ParseContext {
  /** The URL the feed is known by (the feed list entry); items are attributed to it. */
  feedUrl: string;
  contentType?: string;
  fetchedAt?: Date;
  /** Where the bytes actually came from (after redirects); relative links resolve against it. */
  baseUrl?: string;
  /** The Content-Location response header, which overrides the base for relative links. */
  contentLocation?: string;
  /** At most this many items are kept. */
  maxItems?: number;
}

/** Elements nested deeper than this fail the feed; real feeds stay far below. */
export const MAX_XML_DEPTH = 128;

/**
 * What one XML document may build (entries: `maxItems`), so that memory follows what can be used
 * whatever the document's shape; past a budget the rest is read over with a warning. A real feed
 * stays far below each: 500 items of a few dozen elements (40 each here; the corpus's largest
 * document has 2,076 in all), texts the size of an article's HTML (the content field keeps
 * 50,000 characters of text).
 */
export const XML_BUDGETS = {
  maxElements: 20_000,
  maxTextChars: 256 * 1024,
  maxAttributes: 64,
} as const;

function documentBaseOf(context: ParseContext): string {
  const base = context.baseUrl ?? context.feedUrl;
  if (!context.contentLocation) return base;
  try {
    return new URL(context.contentLocation, base).href;
  } catch {
    return base;
  }
}

function extract(
  text: string,
  context: ParseContext,
  maxItems: number,
  warnings: string[],
): ExtractedFeed {
  const start = text.search(/\S/);
  if (start === -1) throw new FeedError('NOT_A_FEED', 'the document is empty');
  const first = text[start];
  const isJson = first === '{' || first === '[' || /json/i.test(context.contentType ?? '');
  if (isJson && first !== '<') return readJsonFeed(text, documentBaseOf(context), maxItems);
  if (!text.includes('<'))
    throw new FeedError('NOT_A_FEED', 'the document is neither XML nor JSON');
  const document = parseLenientXml(text, {
    maxDepth: MAX_XML_DEPTH,
    maxEntries: maxItems,
    ...XML_BUDGETS,
  });
  if (document.roots.length === 0)
    throw new FeedError('MALFORMED_XML', 'the document has no root element');
  warnings.push(...document.warnings);
  const feed = readXmlFeed(document, documentBaseOf(context));
  if (!document.complete) {
    if (feed.items.length === 0) {
      throw new FeedError(
        'MALFORMED_XML',
        'the document ends before any complete item (truncated?)',
      );
    }
    warnings.push(`the document is truncated; kept the ${feed.items.length} complete item(s)`);
  }
  return feed;
}

/** Decode, parse and normalize one feed document (RSS, RDF, Atom or JSON Feed). Throws FeedError. */
export async function parseFeedDocument(
  bytes: Uint8Array,
  context: ParseContext,
): Promise<ParsedFeed> {
  if (bytes.length === 0)
    throw new FeedError('NOT_A_FEED', 'the body is empty', { feedUrl: context.feedUrl });
  try {
    const { text, warnings } = decodeBody(bytes, context.contentType);
    const maxItems = context.maxItems ?? DEFAULT_MAX_ITEMS;
    const extracted = extract(text, context, maxItems, warnings);
    const normalized = normalizeItems(extracted, {
      feedUrl: context.feedUrl,
      fetchedAt: context.fetchedAt ?? new Date(),
      maxItems,
    });
    const link = extracted.link ? canonicalUrl(extracted.link) : undefined;
    return {
      feed: {
        ...(extracted.title ? { title: capLength(extracted.title, FIELD_LIMITS.feedTitle) } : {}),
        ...(link ? { link } : {}),
      },
      items: normalized.items,
      warnings: [...warnings, ...normalized.warnings],
    };
  } catch (error) {
    if (error instanceof FeedError) {
      if (!error.details.feedUrl) error.details.feedUrl = context.feedUrl;
      throw error;
    }
    throw new FeedError('INTERNAL', `parsing failed unexpectedly: ${(error as Error).message}`, {
      feedUrl: context.feedUrl,
      cause: error,
    });
  }
}

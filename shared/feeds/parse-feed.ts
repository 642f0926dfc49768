import { canonicalUrl } from './canonical-url.ts';
import { decodeBody } from './decode-body.ts';
import { FeedError } from './feed-error.ts';
import { type ExtractedFeed, readXmlFeed } from './feed-formats.ts';
import type { NormalizedItem } from './feed-item.ts';
import { readJsonFeed } from './json-feed.ts';
import { parseLenientXml } from './lenient-xml.ts';
import { DEFAULT_MAX_ITEMS, FIELD_LIMITS, normalizeItems } from './normalize-items.ts';
import { capLength } from './text-clean.ts';
import {
  type EntryScan,
  identityUnaffected,
  scanEntries,
  withoutKnownEntries,
} from './unchanged-entries.ts';

/** What one feed document holds, normalized. */
export interface ParsedFeed {
  feed: { title?: string; link?: string };
  items: NormalizedItem[];
  warnings: string[];
  /**
   * Digests of the document's entries in order, when the caller keeps them (`knownEntries` given)
   * and the entry scan can cut the document (XML).
   */
  entries?: string[];
  /** Entries left out as unchanged (their digest was in `knownEntries`); not in `items`. */
  unchangedItems: number;
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
  /**
   * Entry digests of the feed's last document (empty when there is none yet). Given, the
   * document's entries are digested (`entries`), and those the same byte for byte are left out
   * (counted in `unchangedItems`) unless that could change another item's identity; a caller
   * that keeps no digests (`newswatch parse`) leaves it out and pays for no scan.
   */
  knownEntries?: ReadonlySet<string>;
}

const XML_START = /^\s*</;

/** Elements nested deeper than this fail the feed; real feeds stay far below. */
export const MAX_XML_DEPTH = 128;

function documentBaseOf(context: ParseContext): string {
  const base = context.baseUrl ?? context.feedUrl;
  if (!context.contentLocation) return base;
  try {
    return new URL(context.contentLocation, base).href;
  } catch {
    return base;
  }
}

function extract(text: string, context: ParseContext, warnings: string[]): ExtractedFeed {
  const start = text.search(/\S/);
  if (start === -1) throw new FeedError('NOT_A_FEED', 'the document is empty');
  const first = text[start];
  const isJson = first === '{' || first === '[' || /json/i.test(context.contentType ?? '');
  if (isJson && first !== '<') return readJsonFeed(text, documentBaseOf(context));
  if (!text.includes('<'))
    throw new FeedError('NOT_A_FEED', 'the document is neither XML nor JSON');
  const document = parseLenientXml(text, { maxDepth: MAX_XML_DEPTH });
  if (document.roots.length === 0)
    throw new FeedError('MALFORMED_XML', 'the document has no root element');
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

/** Extract and normalize one decoded document. */
function readText(text: string, context: ParseContext, decodeWarnings: string[]): ParsedFeed {
  const warnings = [...decodeWarnings];
  const extracted = extract(text, context, warnings);
  const normalized = normalizeItems(extracted, {
    feedUrl: context.feedUrl,
    fetchedAt: context.fetchedAt ?? new Date(),
    maxItems: context.maxItems ?? DEFAULT_MAX_ITEMS,
  });
  const link = extracted.link ? canonicalUrl(extracted.link) : undefined;
  return {
    feed: {
      ...(extracted.title ? { title: capLength(extracted.title, FIELD_LIMITS.feedTitle) } : {}),
      ...(link ? { link } : {}),
    },
    items: normalized.items,
    warnings: [...warnings, ...normalized.warnings],
    unchangedItems: 0,
  };
}

/** The document without its known entries, read; undefined when it must be read whole. */
function readChanged(
  text: string,
  scanned: EntryScan | undefined,
  context: ParseContext,
  decodeWarnings: string[],
): ParsedFeed | undefined {
  const known = context.knownEntries;
  if (!scanned || !known || known.size === 0) return undefined;
  const spliced = withoutKnownEntries(text, scanned, known);
  if (!spliced) return undefined;
  let parsed: ParsedFeed;
  try {
    parsed = readText(spliced.text, context, decodeWarnings);
  } catch {
    // What the whole document does (a truncated tail with every entry known, say) is its own answer.
    return undefined;
  }
  if (!identityUnaffected(parsed.items, text, spliced.text)) return undefined;
  return { ...parsed, entries: scanned.digests, unchangedItems: spliced.unchanged };
}

/** Decode, parse and normalize one feed document (RSS, RDF, Atom or JSON Feed). Throws FeedError. */
export async function parseFeedDocument(
  bytes: Uint8Array,
  context: ParseContext,
): Promise<ParsedFeed> {
  if (bytes.length === 0)
    throw new FeedError('NOT_A_FEED', 'the body is empty', { feedUrl: context.feedUrl });
  try {
    const decoded = decodeBody(bytes, context.contentType);
    const text = decoded.text;
    const scanned =
      context.knownEntries && XML_START.test(text)
        ? scanEntries(text, context.maxItems ?? DEFAULT_MAX_ITEMS)
        : undefined;
    const changed = readChanged(text, scanned, context, decoded.warnings);
    if (changed) return changed;
    const whole = readText(text, context, decoded.warnings);
    return scanned ? { ...whole, entries: scanned.digests } : whole;
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

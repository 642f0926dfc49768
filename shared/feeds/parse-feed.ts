import { canonicalUrl } from './canonical-url.ts';
import { decodeBody, isPlainUtf8 } from './decode-body.ts';
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

/**
 * What one XML document may build (entries: `maxItems`), so that memory follows what can be used
 * whatever the document's shape; past a budget the rest is read over with a warning. A real feed
 * stays far below each: 500 items of a few dozen elements (100 each here), texts the size of an
 * article's HTML (the content field keeps 50,000 characters of text).
 */
export const XML_BUDGETS = {
  maxElements: 50_000,
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

function extract(text: string, context: ParseContext, warnings: string[]): ExtractedFeed {
  const start = text.search(/\S/);
  if (start === -1) throw new FeedError('NOT_A_FEED', 'the document is empty');
  const first = text[start];
  const isJson = first === '{' || first === '[' || /json/i.test(context.contentType ?? '');
  if (isJson && first !== '<')
    return readJsonFeed(text, documentBaseOf(context), context.maxItems ?? DEFAULT_MAX_ITEMS);
  if (!text.includes('<'))
    throw new FeedError('NOT_A_FEED', 'the document is neither XML nor JSON');
  const document = parseLenientXml(text, {
    maxDepth: MAX_XML_DEPTH,
    maxEntries: context.maxItems ?? DEFAULT_MAX_ITEMS,
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

/**
 * A document as the entry scan reads it: the decoded text, or for plain UTF-8 the bytes one
 * character a byte (see scanEntries), which spares decoding the entries left out.
 */
interface EntryView {
  text: string;
  /** A cut of `text` (the document without its known entries) decoded, with the warnings. */
  decode(cut: string): { text: string; warnings: string[] };
  /** How a value of the decoded text is written in `text`. */
  asWritten?: (value: string) => string;
}

/** A string's UTF-8 bytes one character a byte: how it is written in a latin1 view of UTF-8. */
const asUtf8Bytes = (value: string): string => Buffer.from(value, 'utf8').toString('latin1');

/** The document without its known entries, read; undefined when it must be read whole. */
function readChanged(
  view: EntryView,
  scanned: EntryScan,
  context: ParseContext,
  known: ReadonlySet<string>,
): ParsedFeed | undefined {
  if (known.size === 0) return undefined;
  const spliced = withoutKnownEntries(view.text, scanned, known);
  if (!spliced) return undefined;
  let parsed: ParsedFeed;
  try {
    const cut = view.decode(spliced.text);
    parsed = readText(cut.text, context, cut.warnings);
  } catch {
    // What the whole document does (a truncated tail with every entry known, say) is its own answer.
    return undefined;
  }
  if (!identityUnaffected(parsed.items, view.text, spliced.text, view.asWritten)) return undefined;
  return { ...parsed, entries: scanned.digests, unchangedItems: spliced.unchanged };
}

function readWhole(
  decoded: { text: string; warnings: string[] },
  context: ParseContext,
  entries?: string[],
): ParsedFeed {
  const whole = readText(decoded.text, context, decoded.warnings);
  return entries ? { ...whole, entries } : whole;
}

/** The document with its entries digested, and only the changed ones read where that is safe. */
function readKeepingDigests(
  bytes: Uint8Array,
  context: ParseContext,
  known: ReadonlySet<string>,
): ParsedFeed {
  const limit = context.maxItems ?? DEFAULT_MAX_ITEMS;
  if (isPlainUtf8(bytes, context.contentType)) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const scanned = XML_START.test(text) ? scanEntries(text, limit, bytes) : undefined;
    const view: EntryView = {
      text,
      decode: (cut) => decodeBody(Buffer.from(cut, 'latin1'), context.contentType),
      asWritten: asUtf8Bytes,
    };
    const changed = scanned && readChanged(view, scanned, context, known);
    return changed ?? readWhole(decodeBody(bytes, context.contentType), context, scanned?.digests);
  }
  const decoded = decodeBody(bytes, context.contentType);
  const scanned = XML_START.test(decoded.text) ? scanEntries(decoded.text, limit) : undefined;
  const view: EntryView = {
    text: decoded.text,
    decode: (cut) => ({ text: cut, warnings: decoded.warnings }),
  };
  const changed = scanned && readChanged(view, scanned, context, known);
  return changed ?? readWhole(decoded, context, scanned?.digests);
}

/** Decode, parse and normalize one feed document (RSS, RDF, Atom or JSON Feed). Throws FeedError. */
export async function parseFeedDocument(
  bytes: Uint8Array,
  context: ParseContext,
): Promise<ParsedFeed> {
  if (bytes.length === 0)
    throw new FeedError('NOT_A_FEED', 'the body is empty', { feedUrl: context.feedUrl });
  try {
    return context.knownEntries
      ? readKeepingDigests(bytes, context, context.knownEntries)
      : readWhole(decodeBody(bytes, context.contentType), context);
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

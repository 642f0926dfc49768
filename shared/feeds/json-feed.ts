import { z } from 'zod';
import { FeedError } from './feed-error.ts';
import type { ExtractedFeed, ExtractedItem } from './feed-formats.ts';
import { JsonScan } from './json-scan.ts';
import { fieldToText, htmlToText } from './text-clean.ts';

const text = z.string().optional().catch(undefined);

const JsonFeedItemSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional().catch(undefined),
  url: text,
  external_url: text,
  title: text,
  summary: text,
  content_text: text,
  content_html: text,
  date_published: text,
  date_modified: text,
  language: text,
  author: z.looseObject({ name: text }).optional().catch(undefined),
  authors: z
    .array(z.looseObject({ name: text }))
    .optional()
    .catch(undefined),
});

const JsonFeedSchema = z.looseObject({
  version: z.string().startsWith('https://jsonfeed.org/version/'),
  title: text,
  home_page_url: text,
  language: text,
  items: z.array(z.unknown()).catch([]),
});

// NewsAPI-style documents ({"articles": [...]}) are common in captured news data.
const ArticleSchema = z.looseObject({
  title: text,
  url: text,
  description: text,
  content: text,
  publishedAt: text,
  author: z.string().nullish().catch(undefined),
  source: z.looseObject({ name: text }).optional().catch(undefined),
});

function resolve(link: string | undefined, base: string): string | undefined {
  if (!link) return undefined;
  try {
    return new URL(link.trim(), base).href;
  } catch {
    return undefined;
  }
}

function nonEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/** Plain text of a field that may hold HTML; undefined when there is none. */
function textOf(value: string | undefined): string | undefined {
  return value ? nonEmpty(fieldToText(value)) : undefined;
}

/** Object values (an author, the authors) longer than this are not parsed: no name is that long. */
const MAX_OBJECT_VALUE_CHARS = 16 * 1024;

/**
 * The members of the object at `from` whose keys are in `wanted`, parsed; the rest are read over.
 * Strings and numbers are parsed whatever their length (one string each, at most the document);
 * objects and arrays only when short, so no member can make a tree of the document's size.
 */
function pick(
  scan: JsonScan,
  text: string,
  from: number,
  wanted: ReadonlySet<string>,
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  scan.members(from, (key, start, end) => {
    if (key === undefined || !wanted.has(key) || key in picked) return;
    const first = text.charCodeAt(start);
    const nested = first === 0x7b || first === 0x5b;
    if (nested && end - start > MAX_OBJECT_VALUE_CHARS) return;
    try {
      picked[key] = JSON.parse(text.slice(start, end));
    } catch {
      // A value the scan passed but JSON does not (a bad escape, say) is as if absent.
    }
  });
  return picked;
}

const keysOf = (schema: { shape: Record<string, unknown> }) => new Set(Object.keys(schema.shape));
// The items are walked apart (pickEach), never parsed with the feed's own fields.
const FEED_KEYS = new Set([...keysOf(JsonFeedSchema)].filter((key) => key !== 'items'));
const ITEM_KEYS = keysOf(JsonFeedItemSchema);
const ARTICLE_KEYS = keysOf(ArticleSchema);

/**
 * The objects among the first `maxItems` elements of the array at `from`, picked; the rest are
 * counted only (`leftOut`).
 */
function pickEach(
  scan: JsonScan,
  text: string,
  from: number,
  wanted: ReadonlySet<string>,
  maxItems: number,
): { picked: Record<string, unknown>[]; leftOut: number } {
  const picked: Record<string, unknown>[] = [];
  let leftOut = 0;
  scan.elements(from, (index, start) => {
    if (index >= maxItems) leftOut++;
    else if (text.charCodeAt(start) === 0x7b) picked.push(pick(scan, text, start, wanted));
  });
  return { picked, leftOut };
}

/**
 * Read a JSON Feed (or a NewsAPI-style article list); NOT_A_FEED for other JSON. The document is
 * walked, not parsed whole (see JsonScan): only the feed's own fields and those of its first
 * `maxItems` items are built, so memory follows what is kept, not the document's shape.
 */
export function readJsonFeed(
  source: string,
  documentBase: string,
  maxItems: number,
): ExtractedFeed {
  const scan = new JsonScan(source);
  const root = scan.root();
  if (root.first !== 0x7b)
    throw new FeedError('NOT_A_FEED', 'the JSON document is not a JSON Feed');
  const top = pick(scan, source, root.start, FEED_KEYS);
  const arrayAt = (key: string): number | undefined => {
    let found: number | undefined;
    scan.members(root.start, (member, start) => {
      if (member === key && found === undefined && source.charCodeAt(start) === 0x5b) found = start;
    });
    return found;
  };
  const feed = JsonFeedSchema.safeParse({ ...top, items: [] });
  if (feed.success) {
    const at = arrayAt('items');
    const { picked, leftOut } =
      at === undefined
        ? { picked: [], leftOut: 0 }
        : pickEach(scan, source, at, ITEM_KEYS, maxItems);
    const items: ExtractedItem[] = [];
    for (const raw of picked) {
      const parsed = JsonFeedItemSchema.safeParse(raw);
      if (!parsed.success) continue;
      const item = parsed.data;
      items.push({
        title: textOf(item.title),
        link: resolve(item.url ?? item.external_url, documentBase),
        guid: item.id === undefined ? undefined : String(item.id),
        summary: textOf(item.summary),
        content: item.content_html
          ? nonEmpty(htmlToText(item.content_html))
          : textOf(item.content_text),
        date: item.date_published ?? item.date_modified,
        author: item.authors?.[0]?.name ?? item.author?.name,
        language: item.language,
      });
    }
    return {
      format: 'json',
      title: textOf(feed.data.title),
      link: resolve(feed.data.home_page_url, documentBase),
      language: feed.data.language,
      items,
      ...(leftOut > 0 ? { itemsLeftOut: leftOut } : {}),
    };
  }
  const articlesAt = arrayAt('articles');
  if (articlesAt !== undefined) {
    const { picked, leftOut } = pickEach(scan, source, articlesAt, ARTICLE_KEYS, maxItems);
    const items: ExtractedItem[] = [];
    for (const raw of picked) {
      const parsed = ArticleSchema.safeParse(raw);
      if (!parsed.success) continue;
      const article = parsed.data;
      items.push({
        title: textOf(article.title),
        link: resolve(article.url, documentBase),
        summary: textOf(article.description),
        content: textOf(article.content),
        date: article.publishedAt,
        author: article.author ?? undefined,
      });
    }
    return { format: 'json', items, ...(leftOut > 0 ? { itemsLeftOut: leftOut } : {}) };
  }
  throw new FeedError('NOT_A_FEED', 'the JSON document is not a JSON Feed');
}

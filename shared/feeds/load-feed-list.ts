import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { decodeBody } from './decode-body.ts';
import { FeedListSchema, type FeedSpec, FeedSpecSchema } from './feed-list-schema.ts';
import { childElements, parseLenientXml, type XmlElement } from './lenient-xml.ts';
import { cleanText } from './text-clean.ts';

/** The feed list file is missing, unreadable or has a bad entry; the message names both. */
export class FeedListError extends Error {
  override readonly name = 'FeedListError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path
        .map((part, index) =>
          typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
        )
        .join('');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

function fromJson(file: string, text: string): FeedSpec[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FeedListError(file, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = FeedListSchema.safeParse(data);
  if (!parsed.success) throw new FeedListError(file, describeIssues(parsed.error));
  return parsed.data.feeds;
}

function fromOpml(file: string, text: string): FeedSpec[] {
  const document = parseLenientXml(text, { maxDepth: 64 });
  const root = document.roots.find((element) => element.local.toLowerCase() === 'opml');
  if (!root) throw new FeedListError(file, 'neither a JSON feed list nor an OPML document');
  const feeds: FeedSpec[] = [];
  // Walk outlines depth-first in document order with an explicit stack; folder names become tags.
  const pending: { element: XmlElement; tags: string[] }[] = [{ element: root, tags: [] }];
  while (pending.length > 0) {
    const { element, tags } = pending.pop() as { element: XmlElement; tags: string[] };
    const xmlUrl = element.attrs.xmlUrl ?? element.attrs.xmlurl;
    const label = cleanText(element.attrs.title ?? element.attrs.text ?? '');
    if (element.local === 'outline' && xmlUrl !== undefined) {
      const entry = {
        url: xmlUrl.trim(),
        ...(label ? { name: label.slice(0, 200) } : {}),
        tags: [...new Set([...tags, ...categoryTags(element.attrs.category)])].slice(0, 20),
      };
      const parsed = FeedSpecSchema.safeParse(entry);
      if (!parsed.success) {
        throw new FeedListError(
          file,
          `outline ${feeds.length} (${xmlUrl}): ${describeIssues(parsed.error)}`,
        );
      }
      feeds.push(parsed.data);
    }
    const childTags =
      element.local === 'outline' && xmlUrl === undefined && label
        ? [...tags, label.slice(0, 50)].slice(0, 20)
        : tags;
    const children = childElements(element).filter(
      (child) => child.local === 'outline' || child.local === 'body',
    );
    for (let index = children.length - 1; index >= 0; index--) {
      pending.push({ element: children[index] as XmlElement, tags: childTags });
    }
  }
  if (feeds.length === 0)
    throw new FeedListError(file, 'the OPML document has no outline with an xmlUrl');
  return feeds;
}

/** OPML 2.0 `category`: comma-separated, slash-delimited paths; each path's last part is a tag. */
function categoryTags(category: string | undefined): string[] {
  return (category ?? '')
    .split(',')
    .map((path) => cleanText(path.split('/').filter(Boolean).at(-1) ?? '').slice(0, 50))
    .filter(Boolean);
}

/** Load a feed list, JSON (FeedListSchema) or OPML, without duplicate URLs. Throws FeedListError. */
export async function loadFeedList(path: string): Promise<FeedSpec[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new FeedListError(
      path,
      `cannot read the feed list: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseFeedList(path, bytes);
}

/**
 * A feed list's bytes, JSON (FeedListSchema) or OPML, as feeds without duplicate URLs; `source`
 * names it in errors. Throws FeedListError.
 */
export function parseFeedList(source: string, bytes: Buffer): FeedSpec[] {
  const text = decodeBody(bytes).text;
  const first = text.trimStart()[0];
  const feeds = first === '{' || first === '[' ? fromJson(source, text) : fromOpml(source, text);
  const seen = new Set<string>();
  return feeds.filter((feed) => {
    const key = new URL(feed.url).href;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

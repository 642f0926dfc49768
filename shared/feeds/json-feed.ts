import { z } from 'zod';
import { FeedError } from './feed-error.ts';
import type { ExtractedFeed, ExtractedItem } from './feed-formats.ts';
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
const ArticleListSchema = z.looseObject({
  articles: z.array(z.unknown()),
});
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

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Read a JSON Feed (or a NewsAPI-style article list); NOT_A_FEED for other JSON. */
export function readJsonFeed(source: string, documentBase: string): ExtractedFeed {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    throw new FeedError(
      'NOT_A_FEED',
      `the document looks like JSON but does not parse: ${(error as Error).message}`,
    );
  }
  const feed = JsonFeedSchema.safeParse(data);
  if (feed.success) {
    const items: ExtractedItem[] = [];
    for (const raw of feed.data.items) {
      const parsed = JsonFeedItemSchema.safeParse(raw);
      if (!parsed.success) continue;
      const item = parsed.data;
      items.push({
        title: nonEmpty(item.title ? fieldToText(item.title) : undefined),
        link: resolve(item.url ?? item.external_url, documentBase),
        guid: item.id === undefined ? undefined : String(item.id),
        summary: nonEmpty(item.summary ? fieldToText(item.summary) : undefined),
        content: nonEmpty(
          item.content_html
            ? htmlToText(item.content_html)
            : item.content_text
              ? fieldToText(item.content_text)
              : undefined,
        ),
        date: item.date_published ?? item.date_modified,
        author: item.authors?.[0]?.name ?? item.author?.name,
        language: item.language,
      });
    }
    return {
      format: 'json',
      title: nonEmpty(feed.data.title ? fieldToText(feed.data.title) : undefined),
      link: resolve(feed.data.home_page_url, documentBase),
      language: feed.data.language,
      items,
    };
  }
  const list = ArticleListSchema.safeParse(data);
  if (list.success) {
    const items: ExtractedItem[] = [];
    for (const raw of list.data.articles) {
      const parsed = ArticleSchema.safeParse(raw);
      if (!parsed.success) continue;
      const article = parsed.data;
      items.push({
        title: nonEmpty(article.title ? fieldToText(article.title) : undefined),
        link: resolve(article.url, documentBase),
        summary: nonEmpty(article.description ? fieldToText(article.description) : undefined),
        content: nonEmpty(article.content ? fieldToText(article.content) : undefined),
        date: article.publishedAt,
        author: article.author ?? undefined,
      });
    }
    return { format: 'json', items };
  }
  throw new FeedError('NOT_A_FEED', 'the JSON document is not a JSON Feed');
}

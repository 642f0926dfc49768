import type { ListedFeed } from './listed-feed.ts';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function attribute(value: string): string {
  return value.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] as string);
}

/**
 * The feed list as OPML 2.0, one outline per feed with its tags as `category`, which
 * `loadFeedList` reads back as tags: an export imports as the same list.
 */
export function feedListOpml(feeds: readonly ListedFeed[]): string {
  const outlines = feeds.map((feed) => {
    const label = feed.name ?? feed.url;
    const category = feed.tags.length ? ` category="${attribute(feed.tags.join(','))}"` : '';
    return `    <outline type="rss" text="${attribute(label)}" title="${attribute(label)}" xmlUrl="${attribute(feed.url)}"${category}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head><title>newswatch feeds</title></head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/** The shared corpus of real feed items, read at run time when present; never copied here. */
export const CORPUS_FILE = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared/corpus/items/all_items.jsonl',
);

const CorpusLineSchema = z.object({
  title: z.string(),
  link: z.string(),
  description: z.string().nullish(),
  text: z.string().nullish(),
  published: z.string().nullish(),
});

interface SourceItem {
  title: string;
  link: string;
  description: string;
  published: Date;
}

export interface DocumentSource {
  /** 'corpus' when built from the shared corpus, 'generated' otherwise. */
  kind: 'corpus' | 'generated';
  items: SourceItem[];
}

const WORDS =
  'market minister talks trade energy summit report council budget election court police storm harbour rail school health science sport union pipeline agreement visit delegation'.split(
    ' ',
  );

function generatedItems(count: number): SourceItem[] {
  return Array.from({ length: count }, (_, index) => {
    const words = (length: number) =>
      Array.from({ length }, (_, w) => WORDS[(index * 7 + w * 13) % WORDS.length]).join(' ');
    return {
      title: `${words(8)} ${index}`,
      link: `https://news.example.org/story/${index}`,
      description: `${words(40)}.`,
      published: new Date(Date.UTC(2026, 10, 1) - index * 60_000),
    };
  });
}

/** The items documents are built from: the shared corpus when present, generated text otherwise. */
export function loadDocumentSource(): DocumentSource {
  if (!existsSync(CORPUS_FILE)) return { kind: 'generated', items: generatedItems(5000) };
  const items: SourceItem[] = [];
  for (const line of readFileSync(CORPUS_FILE, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const parsed = CorpusLineSchema.safeParse(JSON.parse(line));
    if (!parsed.success) continue;
    const { title, link, description, text, published } = parsed.data;
    const date = new Date(published ?? '');
    items.push({
      title,
      link,
      description: description ?? text ?? '',
      published: Number.isNaN(date.getTime()) ? new Date(Date.UTC(2026, 10, 1)) : date,
    });
  }
  return items.length > 0 ? { kind: 'corpus', items } : { kind: 'generated', items: [] };
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Items in feed `index`: between 20 and 50, spread so the mean is about 35. */
export function itemCountOf(index: number): number {
  return 20 + ((index * 17) % 31);
}

/** Where feed `index`'s items start in the source; feeds take consecutive, wrapping slices. */
function firstItemOf(index: number): number {
  let offset = 0;
  for (let feed = 0; feed < index; feed++) offset += itemCountOf(feed);
  return offset;
}

/** In an update, which feeds changed and how many new items each got. */
export const UPDATE = { everyNthFeedChanges: 2, newItemsPerChangedFeed: 3 };

/** Whether feed `index` has new items at `revision` (> 0). */
export function changesAt(index: number, revision: number): boolean {
  return revision > 0 && index % UPDATE.everyNthFeedChanges === 0;
}

function itemXml(item: SourceItem, link: string): string {
  return [
    '<item>',
    `<title>${escapeXml(item.title)}</title>`,
    `<link>${escapeXml(link)}</link>`,
    `<guid isPermaLink="true">${escapeXml(link)}</guid>`,
    `<pubDate>${item.published.toUTCString()}</pubDate>`,
    `<description>${escapeXml(item.description)}</description>`,
    '</item>',
  ].join('\n');
}

const withQuery = (link: string, query: string): string =>
  `${link}${link.includes('?') ? '&' : '?'}${query}`;

/**
 * RSS 2.0 document of feed `index`: a consecutive slice of the source items. When the feeds need
 * more items than the source has, later passes over it get a `copy=N` query in the link, so every
 * item of every feed is distinct, as separate outlets' items mostly are. At a later `revision`
 * the feeds that change carry new items on top and drop as many from the bottom.
 */
export function rssDocument(source: DocumentSource, index: number, revision = 0): string {
  const first = firstItemOf(index);
  const count = itemCountOf(index);
  const entries: string[] = [];
  for (let slot = first; slot < first + count; slot++) {
    const item = source.items[slot % source.items.length] as SourceItem;
    const pass = Math.floor(slot / source.items.length);
    entries.push(itemXml(item, pass === 0 ? item.link : withQuery(item.link, `copy=${pass}`)));
  }
  for (let rev = 1; rev <= revision; rev++) {
    if (!changesAt(index, rev)) continue;
    for (let fresh = UPDATE.newItemsPerChangedFeed - 1; fresh >= 0; fresh--) {
      const item = source.items[
        (first + rev * 7919 + fresh * 31) % source.items.length
      ] as SourceItem;
      entries.unshift(itemXml(item, withQuery(item.link, `feed=${index}&rev=${rev}&n=${fresh}`)));
    }
    entries.length = count;
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0">',
    '<channel>',
    `<title>Bench outlet ${index}</title>`,
    `<link>https://outlet-${index}.example.org/</link>`,
    `<description>Benchmark feed ${index}</description>`,
    ...entries,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}

import { canonicalLink, canonicalUrl } from './canonical-url.ts';
import { parseFeedDate } from './feed-date.ts';
import type { ExtractedFeed, ExtractedItem } from './feed-formats.ts';
import { feedIdFor } from './feed-id.ts';
import type { NormalizedItem } from './feed-item.ts';
import { sha256Hex } from './sha256.ts';
import { capLength, cleanText, fieldToText } from './text-clean.ts';

/** Longest kept value of each field, in characters. */
export const FIELD_LIMITS = {
  title: 500,
  summary: 5_000,
  content: 50_000,
  guid: 500,
  author: 200,
  feedTitle: 300,
} as const;
export const DEFAULT_MAX_ITEMS = 500;
/** Dates further ahead than this are publisher clock errors, not schedules. */
const FUTURE_TOLERANCE_MS = 2 * 24 * 60 * 60_000;
const EARLIEST_DATE = Date.UTC(1990, 0, 1);
const LANGUAGE_TAG = /^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i;
const URL_GUID = /^https?:\/\//i;

export interface NormalizeContext {
  feedUrl: string;
  fetchedAt: Date;
  maxItems: number;
}

/** Title and summary reduced to what survives cosmetic edits: lower case, letters and digits. */
function fingerprintText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The content fingerprint key of an item without link or guid. */
export function fingerprintKey(title: string, summary: string): string {
  return `fp:${sha256Hex(`${fingerprintText(title)}\n${fingerprintText(summary)}`).slice(0, 32)}`;
}

/** The guid key: a URL guid is keyed as that URL, any other guid is scoped to its feed. */
/** The item id: a hash of its primary dedupe key (a reported miss gets the id its feed item would). */
export function itemIdFor(primaryKey: string): string {
  return sha256Hex(primaryKey).slice(0, 32);
}

function guidKey(guid: string, feedId: string): string {
  const asUrl = URL_GUID.test(guid) ? canonicalLink(guid) : undefined;
  return asUrl ? asUrl.dedupeKey : `guid:${feedId}:${guid}`;
}

function language(value: string | undefined): string | undefined {
  const tag = value?.trim();
  return tag && tag.length <= 35 && LANGUAGE_TAG.test(tag)
    ? tag.replace('_', '-').toLowerCase()
    : undefined;
}

/**
 * Identifiers that two or more different stories (title + summary) use in one document, with
 * how many. Story texts are only compared for identifiers that occur more than once.
 */
function storiesPerIdentifier(
  items: ExtractedItem[],
  pick: (item: ExtractedItem, index: number) => string | undefined,
): Map<string, number> {
  const firstIndex = new Map<string, number>();
  let repeated: Map<string, Set<string>> | undefined;
  const story = (item: ExtractedItem): string => `${item.title ?? ''}\n${item.summary ?? ''}`;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as ExtractedItem;
    const key = pick(item, index);
    if (!key) continue;
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
      continue;
    }
    repeated ??= new Map();
    let set = repeated.get(key);
    if (!set) {
      set = new Set([story(items[first] as ExtractedItem)]);
      repeated.set(key, set);
    }
    set.add(story(item));
  }
  const counts = new Map<string, number>();
  for (const [key, set] of repeated ?? []) if (set.size > 1) counts.set(key, set.size);
  return counts;
}

/**
 * Links that do not identify a story: the site's front page, or one link under three or more
 * different stories. Two items under one article link are one story retitled, so they keep it.
 */
function untrustedLinks(
  links: (string | undefined)[],
  entries: ExtractedItem[],
  feedLink?: string,
): Set<string> {
  const counts = storiesPerIdentifier(entries, (_entry, index) => links[index]);
  const untrusted = new Set<string>();
  for (const [link, stories] of counts) {
    const path = new URL(link).pathname;
    if (stories >= 3 || path === '/' || path === '' || link === feedLink) untrusted.add(link);
  }
  return untrusted;
}

/** Turn extracted entries into NormalizedItems with stable ids and dedupe keys. */
export function normalizeItems(
  feed: ExtractedFeed,
  context: NormalizeContext,
): { items: NormalizedItem[]; warnings: string[] } {
  const warnings: string[] = [];
  let entries = feed.items;
  const inDocument = entries.length + (feed.itemsLeftOut ?? 0);
  if (inDocument > context.maxItems) {
    warnings.push(`feed has ${inDocument} items; kept the first ${context.maxItems}`);
    entries = entries.slice(0, context.maxItems);
  }
  const canonicalLinks = entries.map((entry) =>
    entry.link ? canonicalLink(entry.link) : undefined,
  );
  const links = canonicalLinks.map((found) => found?.url);
  const feedId = feedIdFor(context.feedUrl);
  // A guid reused for different stories (a CMS writing "1" everywhere) identifies nothing.
  const sharedGuids = new Set(storiesPerIdentifier(entries, (entry) => entry.guid).keys());
  const sharedLinks = untrustedLinks(
    links,
    entries,
    feed.link ? canonicalUrl(feed.link) : undefined,
  );
  if (sharedGuids.size > 0) {
    warnings.push('the same guid is used by different items; those guids are ignored for dedupe');
  }
  if (sharedLinks.size > 0) {
    warnings.push(
      'the same link is used by different stories; those links are not used as their identity',
    );
  }

  const feedTitle = feed.title ? capLength(feed.title, FIELD_LIMITS.feedTitle) : undefined;
  const feedLanguage = language(feed.language);
  const maxDate = context.fetchedAt.getTime() + FUTURE_TOLERANCE_MS;
  const items: NormalizedItem[] = [];
  let dropped = 0;
  let badDates = 0;

  entries.forEach((entry, index) => {
    const canonical = canonicalLinks[index];
    const link = canonical?.url;
    // Feeds that carry only full content still get a summary to show and to score.
    const summary = capLength(entry.summary ?? entry.content ?? '', FIELD_LIMITS.summary);
    const content = entry.content ? capLength(entry.content, FIELD_LIMITS.content) : undefined;
    const rawTitle =
      entry.title ?? (summary ? capLength(summary, 120) : content ? capLength(content, 120) : '');
    const title = capLength(cleanText(rawTitle), FIELD_LIMITS.title);
    if (!title && !link) {
      dropped++;
      return;
    }
    const guid = entry.guid ? capLength(fieldToText(entry.guid), FIELD_LIMITS.guid) : undefined;
    const keys: string[] = [];
    if (canonical && !sharedLinks.has(canonical.url)) keys.push(canonical.dedupeKey);
    if (guid && entry.guid && !sharedGuids.has(entry.guid)) keys.push(guidKey(guid, feedId));
    if (keys.length === 0) keys.push(fingerprintKey(title, summary || (content ?? '')));
    const dedupeKeys = [...new Set(keys)];

    let published: string | undefined;
    if (entry.date) {
      const time = parseFeedDate(entry.date)?.getTime() ?? Number.NaN;
      if (time >= EARLIEST_DATE && time <= maxDate) published = new Date(time).toISOString();
      else badDates++;
    }
    const author = entry.author
      ? capLength(fieldToText(entry.author), FIELD_LIMITS.author)
      : undefined;
    const itemLanguage = language(entry.language) ?? feedLanguage;
    items.push({
      // A hash of the primary key: the same story gets the same id on every poll.
      id: itemIdFor(dedupeKeys[0] as string),
      feedUrl: context.feedUrl,
      ...(feedTitle ? { feedTitle } : {}),
      ...(guid ? { guid } : {}),
      ...(link ? { link } : {}),
      title,
      summary,
      ...(content && content !== summary ? { content } : {}),
      ...(published ? { published } : {}),
      ...(itemLanguage ? { language: itemLanguage } : {}),
      ...(author ? { author } : {}),
      dedupeKeys,
    });
  });
  if (dropped > 0) warnings.push(`${dropped} item(s) without title or link were skipped`);
  if (badDates > 0)
    warnings.push(`${badDates} item(s) had an unusable date and were kept without one`);
  return { items, warnings };
}

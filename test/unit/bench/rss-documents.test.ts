import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import {
  changesAt,
  type DocumentSource,
  itemCountOf,
  rssDocument,
  UPDATE,
} from '../../../bench/lib/rss-documents.ts';

const source: DocumentSource = {
  kind: 'generated',
  items: Array.from({ length: 60 }, (_, index) => ({
    title: `Headline ${index} & more`,
    link: `https://news.example.org/story/${index}`,
    description: `Text of story ${index} <b>bold</b>`,
    published: new Date(Date.UTC(2026, 10, 1, 0, index)),
  })),
};
const linksOf = async (xml: string) =>
  (await new Parser().parseString(xml)).items.map((item) => item.link);

describe('benchmark feed documents', () => {
  it('gives every feed between 20 and 50 items', () => {
    const counts = Array.from({ length: 200 }, (_, index) => itemCountOf(index));
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...counts)).toBeLessThanOrEqual(50);
  });

  it('builds well-formed RSS whose item count matches the plan', async () => {
    expect(await linksOf(rssDocument(source, 3))).toHaveLength(itemCountOf(3));
  });

  it('builds the same bytes for the same feed and revision', () => {
    expect(rssDocument(source, 7, 1)).toBe(rssDocument(source, 7, 1));
  });

  it('keeps items distinct across feeds when the source wraps around', async () => {
    const links = (
      await Promise.all([0, 1, 2, 3, 4].map((index) => linksOf(rssDocument(source, index))))
    ).flat();
    expect(new Set(links).size).toBe(links.length);
  });

  it('adds new items on top of a changing feed and keeps its length', async () => {
    const index = 0;
    expect(changesAt(index, 1)).toBe(true);
    const before = await linksOf(rssDocument(source, index, 0));
    const after = await linksOf(rssDocument(source, index, 1));
    const added = after.filter((link) => !before.includes(link));
    expect(added).toHaveLength(UPDATE.newItemsPerChangedFeed);
    expect(after).toHaveLength(before.length);
  });

  it('leaves a feed that does not change at a revision byte for byte the same', () => {
    expect(changesAt(1, 1)).toBe(false);
    expect(rssDocument(source, 1, 1)).toBe(rssDocument(source, 1, 0));
  });
});

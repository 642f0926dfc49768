import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEED_ERROR_CODES, FeedError } from '#shared/feeds/feed-error.ts';
import { NormalizedItemSchema } from '#shared/feeds/feed-item.ts';
import { parseFeedDocument } from '#shared/feeds/parse-feed.ts';
import { sharedData } from '../../support/shared-data.ts';
import { repoRoot } from './spawn-parse.ts';

const feedsPath = sharedData('corpus/feeds');
const corpus = resolve(repoRoot, '../shared/corpus');
const feedsDir = feedsPath ?? '';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Item counts the corpus manifest records per file. */
function manifestCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = readFileSync(join(corpus, 'MANIFEST.csv'), 'utf8').split('\n').slice(1);
  for (const line of lines) {
    const [path, , , , , , items] = line.split(',');
    if (path) counts.set(path, Number(items) || 0);
  }
  return counts;
}

describe.skipIf(!feedsPath)('the real feeds of the corpus', () => {
  const files = feedsPath ? filesUnder(feedsDir).filter((file) => !file.endsWith('.md')) : [];

  it.each(files.map((file) => [relative(feedsDir, file), file]))(
    '%s yields valid items or fails with a typed error',
    async (_name, file) => {
      const outcome = await parseFeedDocument(readFileSync(file), {
        feedUrl: 'https://feeds.example.org/feed',
        fetchedAt: new Date('2026-11-01T00:00:00Z'),
      }).catch((error: unknown) => error);

      if (outcome instanceof FeedError) {
        expect(FEED_ERROR_CODES).toContain(outcome.code);
        expect(outcome.code).not.toBe('INTERNAL');
        return;
      }
      expect(outcome).not.toBeInstanceOf(Error);
      const { items } = outcome as Awaited<ReturnType<typeof parseFeedDocument>>;
      for (const item of items) expect(NormalizedItemSchema.safeParse(item).success).toBe(true);
    },
  );

  it('recovers nearly every item the manifest counts', async () => {
    const expected = manifestCounts();
    let wanted = 0;
    let got = 0;
    for (const file of files) {
      const key = `feeds/${relative(feedsDir, file)}`;
      wanted += expected.get(key) ?? 0;
      const outcome = await parseFeedDocument(readFileSync(file), {
        feedUrl: 'https://feeds.example.org/feed',
        fetchedAt: new Date('2026-11-01T00:00:00Z'),
      }).catch(() => undefined);
      got += outcome?.items.length ?? 0;
    }
    console.info(
      `real feeds: ${got} items recovered of ${wanted} in the manifest, from ${files.length} files`,
    );

    expect(got).toBeGreaterThanOrEqual(wanted * 0.97);
  });
});

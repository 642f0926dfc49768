import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { startTestStore, type TestStore } from '../../fixtures/alerts/alert-fixtures.ts';
import { sharedData } from '../../support/shared-data.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const corpusFile = sharedData('corpus/items/all_items.jsonl');
const labelsFile = resolve(repoRoot, 'test/fixtures/alerts/story-labels.json');

const LabelsSchema = z.object({ items: z.array(z.object({ id: z.string(), story: z.string() })) });
const CorpusItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string().nullish(),
  feed_url: z.string().nullish(),
  published: z.string(),
});

/** Pairwise precision and recall of a clustering against labels, over every pair of items. */
function pairwiseScores(
  ids: string[],
  truth: Map<string, string>,
  predicted: Map<string, string>,
): { precision: number; recall: number; truePairs: number } {
  let both = 0;
  let predictedOnly = 0;
  let truthOnly = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i] as string;
      const b = ids[j] as string;
      const same = truth.get(a) === truth.get(b);
      const together = predicted.get(a) === predicted.get(b);
      if (same && together) both++;
      else if (together) predictedOnly++;
      else if (same) truthOnly++;
    }
  }
  return {
    precision: both / (both + predictedOnly),
    recall: both / (both + truthOnly),
    truePairs: both + truthOnly,
  };
}

const corpusPresent = corpusFile !== undefined;

describe.skipIf(!corpusPresent)(
  corpusPresent
    ? 'story clustering on hand-labeled corpus items'
    : 'story clustering on hand-labeled corpus items (skipped: ../shared/corpus is absent)',
  () => {
    let db: TestStore;
    let scores: ReturnType<typeof pairwiseScores>;
    let storyCount: number;
    let labelCount: number;

    beforeAll(async () => {
      db = await startTestStore();
      const labels = LabelsSchema.parse(JSON.parse(readFileSync(labelsFile, 'utf8'))).items;
      const truth = new Map(labels.map((label) => [label.id, label.story]));
      labelCount = new Set(truth.values()).size;
      const items = readFileSync(corpusFile ?? '', 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => CorpusItemSchema.parse(JSON.parse(line)))
        .filter((item) => truth.has(item.id))
        .map((item) => ({ ...item, storedAt: new Date(item.published).toISOString() }))
        .sort((a, b) => a.storedAt.localeCompare(b.storedAt));

      let clock = new Date(0);
      const stories = createStoryAssigner(db.store, { now: () => clock });
      const predicted = new Map<string, string>();
      for (const item of items) {
        clock = new Date(item.storedAt);
        db.clock.advance(clock.getTime() - db.clock.now().getTime());
        const { storyId } = await stories.assign({
          matchId: item.id,
          feed: item.feed_url ?? 'unknown',
          title: item.title,
          summary: item.text ?? '',
          storedAt: item.storedAt,
        });
        predicted.set(item.id, storyId);
      }
      storyCount = new Set(predicted.values()).size;
      scores = pairwiseScores(
        items.map((item) => item.id),
        truth,
        predicted,
      );
      console.info(
        `story clustering: ${items.length} items, ${labelCount} labeled stories, ` +
          `${storyCount} found; pairwise precision ${scores.precision.toFixed(3)}, ` +
          `recall ${scores.recall.toFixed(3)} over ${scores.truePairs} same-story pairs`,
      );
    }, 120_000);
    afterAll(async () => {
      await db?.close();
    });

    it('rarely merges different events (pairwise precision at least 0.8)', () => {
      expect(scores.precision).toBeGreaterThanOrEqual(0.8);
    });

    it('joins a good share of same-story copies (pairwise recall at least 0.4)', () => {
      expect(scores.recall).toBeGreaterThanOrEqual(0.4);
    });

    it('finds more stories than were labeled, never fewer (it errs towards splitting)', () => {
      expect(storyCount).toBeGreaterThanOrEqual(labelCount);
    });
  },
);

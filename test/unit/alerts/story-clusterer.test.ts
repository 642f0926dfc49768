import { describe, expect, it } from 'vitest';
import {
  minHashSignature,
  SIGNATURE_SLOTS,
  signatureSimilarity,
  storyFeatures,
  storySignature,
} from '#shared/alerts/story-clusterer.ts';

describe('storyFeatures', () => {
  it('lowercases, folds accents, stems and drops stopwords and punctuation', () => {
    const features = storyFeatures('The Ministers MEET in Zürich, says report');
    expect([...features].filter((feature) => !feature.startsWith('title:'))).toEqual([
      'minist',
      'meet',
      'zurich',
    ]);
  });

  it('counts headline words twice, as plain and as title features', () => {
    const features = storyFeatures('Flood warning', 'Rivers rise');
    expect(features.has('flood')).toBe(true);
    expect(features.has('title:flood')).toBe(true);
    expect(features.has('river')).toBe(true);
    expect(features.has('title:river')).toBe(false);
  });

  it('uses only the first words of a long summary', () => {
    const summary = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');
    const features = storyFeatures('Headline', summary);
    expect(features.has('word9')).toBe(true);
    expect(features.has('word10')).toBe(false);
  });

  it('splits text written without spaces into overlapping character pairs', () => {
    const features = storyFeatures('東京大学');
    expect(features.has('東京')).toBe(true);
    expect(features.has('京大')).toBe(true);
  });
});

describe('storySignature', () => {
  it('is a fixed-length hex string and the same for the same text', () => {
    const signature = storySignature('Storm closes the harbour', 'Ships wait offshore');
    expect(signature).toMatch(/^[0-9a-f]+$/);
    expect(signature).toHaveLength(SIGNATURE_SLOTS * 4);
    expect(storySignature('Storm closes the harbour', 'Ships wait offshore')).toBe(signature);
  });

  it('is empty when the text holds no usable word', () => {
    expect(storySignature('The, and of!')).toBe('');
    expect(minHashSignature([])).toBe('');
  });
});

describe('signatureSimilarity', () => {
  it('is 1 for identical items', () => {
    const signature = storySignature('Court blocks the deportation plan');
    expect(signatureSimilarity(signature, signature)).toBe(1);
  });

  it('rates two outlets rewording one event far above two different events', () => {
    const first = storySignature(
      'Top court rules deportation plan unlawful',
      'The supreme court ruled the government plan to deport asylum seekers unlawful.',
    );
    const copy = storySignature(
      'Supreme court rules government deportation plan is unlawful',
      'Judges ruled unanimously that the plan to deport asylum seekers is unlawful.',
    );
    const other = storySignature(
      'Storm brings floods to coastal towns',
      'Heavy rain flooded streets and closed schools along the coast.',
    );
    expect(signatureSimilarity(first, copy)).toBeGreaterThan(0.3);
    expect(signatureSimilarity(first, other)).toBeLessThan(0.1);
  });

  it('estimates the Jaccard similarity of the feature sets', () => {
    const shared = Array.from({ length: 60 }, (_, index) => `shared${index}`);
    const left = [...shared, ...Array.from({ length: 20 }, (_, index) => `left${index}`)];
    const right = [...shared, ...Array.from({ length: 20 }, (_, index) => `right${index}`)];
    // Exact Jaccard: 60 / 100.
    const estimate = signatureSimilarity(minHashSignature(left), minHashSignature(right));
    expect(estimate).toBeGreaterThan(0.45);
    expect(estimate).toBeLessThan(0.75);
  });

  it('is 0 against an empty or foreign signature', () => {
    const signature = storySignature('Court blocks the deportation plan');
    expect(signatureSimilarity(signature, '')).toBe(0);
    expect(signatureSimilarity(signature, 'abcd')).toBe(0);
  });
});

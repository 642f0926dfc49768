import { describe, expect, it } from 'vitest';
import { kindOfKey } from '../../../bench/lib/dynamo-tally.ts';
import { headlineOf } from '../../../bench/lib/headlines.ts';
import { readInfraFacts } from '../../../bench/lib/infra-facts.ts';
import { formatTable, median } from '../../../bench/lib/table.ts';

describe('run-all overview lines', () => {
  it('uses the headline a benchmark writes itself', () => {
    const line = headlineOf('bench-anything', {
      headline: { figure: '3 s', target: '< 5 s', pass: true },
    });
    expect(line).toEqual({ figure: '3 s', target: '< 5 s', pass: true });
  });

  it('reads the parsing benchmark ratio against its target', () => {
    const line = headlineOf('bench-parsing', {
      perItemRatio: 2.5,
      targetPerItemRatio: 2,
      targetMet: false,
    });
    expect(line.pass).toBe(false);
    expect(line.figure).toContain('2.5x');
  });

  it('falls back to a generic reading when a known shape has changed', () => {
    expect(headlineOf('bench-scoring', { targetMet: true }).pass).toBe(true);
  });

  it('says so when there is no results file', () => {
    expect(headlineOf('bench-store', undefined).figure).toBe('no results file');
  });
});

describe('benchmark helpers', () => {
  it('names item kinds from plain and marshalled partition keys', () => {
    expect(kindOfKey('SEEN#abc')).toBe('seen');
    expect(kindOfKey({ S: 'FEEDS' })).toBe('feed-state');
    expect(kindOfKey({ S: 'MATCH#abc' })).toBe('match');
  });

  it('takes the middle of an even-length list as the mean of the two middle values', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('right-aligns numeric columns and left-aligns text', () => {
    const table = formatTable(
      ['name', 'n'],
      [
        ['a', 5],
        ['bbb', 10],
      ],
    );
    expect(table.split('\n')[2]).toBe('a      5');
  });
});

describe('stack facts for the cost model', () => {
  it('finds the memory of every function in the CDK sources', () => {
    const facts = readInfraFacts();
    expect(Object.keys(facts.memoryMiB).sort()).toEqual(['alert', 'api', 'ingest', 'schedule']);
    expect(facts.ingestBatchSize).toBeGreaterThan(0);
  });
});

import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import {
  logFeedResult,
  recordIngestMetrics,
  summarizeIngestResults,
} from '#functions/ingest/ingest-metrics.ts';
import { ESSENTIAL_METRIC_NAMES, type MetricsLevel } from '#shared/observability/metrics-level.ts';
import type { Match } from '#shared/store/match-schema.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';
import { aFeedResult } from '../../fixtures/sweep/feed-results.ts';

const failed = (code: string) =>
  aFeedResult({ outcome: 'failed', items: 0, newItems: 0, error: { code, message: 'down' } });

function emitted(level: MetricsLevel, results: FeedIngestResult[]) {
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'newswatch' });
  for (const one of results) recordIngestMetrics(metrics, level, one, 100);
  const { _aws, ...values } = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
    _aws: unknown;
  };
  return values;
}

describe('recordIngestMetrics at each metrics level', () => {
  it('emits FeedFailures as 1 per failed and 0 per healthy poll, so its average is the failure share', () => {
    expect(emitted('essential', [aFeedResult(), failed('TIMEOUT'), aFeedResult()])).toEqual({
      service: 'newswatch',
      FeedFailures: [0, 1, 0],
    });
  });

  it('emits only the essential names at the essential level, even for a failed feed', () => {
    const names = Object.keys(emitted('essential', [failed('TIMEOUT'), aFeedResult()]));
    expect(names.filter((name) => name !== 'service')).toEqual([...ESSENTIAL_METRIC_NAMES]);
  });

  it('emits the whole sweep set at the full level', () => {
    expect(Object.keys(emitted('full', [aFeedResult()])).sort()).toEqual(
      [
        'AlertWorthyMatches',
        'FeedFailures',
        'FeedsPolled',
        'IngestDuration',
        'ItemsFetched',
        'Matches',
        'NewItems',
        'service',
      ].sort(),
    );
  });
});

describe('logFeedResult', () => {
  it('logs a healthy feed at debug only', () => {
    const log = { debug: vi.fn(), warn: vi.fn() };
    logFeedResult(log, aFeedResult());
    expect(log.debug).toHaveBeenCalledWith('feed ingested', expect.objectContaining({ items: 12 }));
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('logs a failed feed at warn with its error code', () => {
    const log = { debug: vi.fn(), warn: vi.fn() };
    logFeedResult(log, failed('HTTP_STATUS'));
    expect(log.warn).toHaveBeenCalledWith(
      'feed failed',
      expect.objectContaining({ error: { code: 'HTTP_STATUS', message: 'down' } }),
    );
    expect(log.debug).not.toHaveBeenCalled();
  });

  it('logs each item that could not be scored at warn', () => {
    const log = { debug: vi.fn(), warn: vi.fn() };
    logFeedResult(log, aFeedResult({ itemErrors: [{ itemId: 'i1', message: 'bad text' }] }));
    expect(log.warn).toHaveBeenCalledWith(
      'item not scored',
      expect.objectContaining({ itemId: 'i1' }),
    );
  });
});

describe('summarizeIngestResults', () => {
  it('sums an invocation into one line with the failures by code', () => {
    const match = (alert: boolean) => ({ alert }) as Match;
    const summary = summarizeIngestResults([
      aFeedResult({ matches: [match(true), match(false)] }),
      failed('TIMEOUT'),
      failed('TIMEOUT'),
      aFeedResult({ outcome: 'skipped', items: 0, newItems: 0 }),
    ]);
    expect(summary).toEqual({
      feeds: 4,
      polled: 3,
      skipped: 1,
      failed: 2,
      items: 12,
      newItems: 4,
      matches: 2,
      alertWorthy: 1,
      failuresByCode: { TIMEOUT: 2 },
    });
  });
});

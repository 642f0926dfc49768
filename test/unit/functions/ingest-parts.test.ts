import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import {
  correlationIdOf,
  InvalidIngestEventError,
  parseIngestEvent,
} from '#functions/ingest/ingest-event.ts';
import { recordIngestMetrics } from '#functions/ingest/ingest-metrics.ts';
import { MAX_FEEDS_PER_EVENT } from '#shared/config/lambda-env.ts';
import { aFeedResult } from '../../fixtures/sweep/feed-results.ts';

function emitted(metrics: Metrics): Record<string, unknown> {
  const { _aws, ...values } = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
    _aws: unknown;
  };
  return values;
}

const FEED = 'https://example.com/feed.xml';

describe('parseIngestEvent', () => {
  it('reads the chunk of feeds and the correlation id the schedule function sent', () => {
    const event = parseIngestEvent(
      { feeds: [{ url: FEED, name: 'Example' }], correlationId: 'tick-1' },
      'request r1',
    );
    expect(event).toEqual({
      feeds: [{ url: FEED, name: 'Example', tags: [] }],
      correlationId: 'tick-1',
    });
  });

  it('rejects a chunk with a bad feed, naming the source and the field at fault', () => {
    const value = { feeds: [{ url: FEED }, { url: 'ftp://x' }], correlationId: 'c' };
    expect(() => parseIngestEvent(value, 'request r3')).toThrow(InvalidIngestEventError);
    expect(() => parseIngestEvent(value, 'request r3')).toThrow(
      /^request r3: not an ingest event: feeds\.1\.url: must be an http or https URL/,
    );
  });

  it('rejects a single feed spec, the event format before chunks, naming what is missing', () => {
    expect(() => parseIngestEvent({ url: FEED }, 'request r4')).toThrow(/feeds: .*correlationId: /);
  });

  it('rejects an empty chunk and one above the chunk limit', () => {
    expect(() => parseIngestEvent({ feeds: [], correlationId: 'c' }, 'event')).toThrow(
      /event: not an ingest event: feeds: must hold at least one feed/,
    );
    const tooMany = Array.from({ length: MAX_FEEDS_PER_EVENT + 1 }, (_, index) => ({
      url: `https://example.com/${index}.xml`,
    }));
    expect(() => parseIngestEvent({ feeds: tooMany, correlationId: 'c' }, 'event')).toThrow(
      /feeds: must hold at most 50 feeds/,
    );
  });
});

describe('correlationIdOf', () => {
  it("reads the tick's id even from an event that is not a valid chunk", () => {
    expect(correlationIdOf({ feeds: 'nope', correlationId: 'tick-9' })).toBe('tick-9');
  });

  it('gives nothing for an event without a usable correlation id', () => {
    expect(correlationIdOf(null)).toBeUndefined();
    expect(correlationIdOf({ correlationId: 42 })).toBeUndefined();
    expect(correlationIdOf({ correlationId: ' ' })).toBeUndefined();
  });
});

describe('recordIngestMetrics', () => {
  it('counts a polled feed with its items, new items, matches and duration', () => {
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'newswatch' });
    recordIngestMetrics(metrics, 'full', aFeedResult(), 250);
    expect(emitted(metrics)).toMatchObject({
      FeedsPolled: 1,
      ItemsFetched: 12,
      NewItems: 4,
      Matches: 0,
      AlertWorthyMatches: 0,
      IngestDuration: 250,
    });
  });

  it('counts a failed feed in FeedFailures', () => {
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'newswatch' });
    recordIngestMetrics(
      metrics,
      'full',
      aFeedResult({
        outcome: 'failed',
        items: 0,
        newItems: 0,
        error: { code: 'HTTP_STATUS', message: '503' },
      }),
      10,
    );
    expect(emitted(metrics)).toMatchObject({ FeedsPolled: 1, FeedFailures: 1 });
  });

  it('emits nothing for a feed skipped while it backs off', () => {
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'newswatch' });
    recordIngestMetrics(
      metrics,
      'full',
      aFeedResult({ outcome: 'skipped', items: 0, newItems: 0 }),
      1,
    );
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});

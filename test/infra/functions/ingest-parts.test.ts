import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import {
  InvalidIngestEventError,
  MAX_FEEDS_PER_EVENT,
  parseIngestEvent,
  parseIngestMessage,
} from '#functions/ingest/ingest-event.ts';
import { recordIngestMetrics } from '#functions/ingest/ingest-metrics.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';

function result(overrides: Partial<FeedIngestResult> = {}): FeedIngestResult {
  return {
    feedId: 'f1',
    url: 'https://example.com/feed.xml',
    outcome: 'fetched',
    items: 12,
    newItems: 4,
    matches: [],
    itemErrors: [],
    ...overrides,
  };
}

function emitted(metrics: Metrics): Record<string, unknown> {
  const { _aws, ...values } = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
    _aws: unknown;
  };
  return values;
}

const FEED = 'https://example.com/feed.xml';

describe('parseIngestMessage', () => {
  it('reads the chunk of feeds and the correlation id the schedule function sent', () => {
    const event = parseIngestMessage(
      'm1',
      JSON.stringify({ feeds: [{ url: FEED, name: 'Example' }], correlationId: 'tick-1' }),
    );
    expect(event).toEqual({
      feeds: [{ url: FEED, name: 'Example', tags: [] }],
      correlationId: 'tick-1',
    });
  });

  it('rejects a body that is not JSON, naming the message', () => {
    expect(() => parseIngestMessage('m2', '{')).toThrow(/message m2: body is not JSON/);
  });

  it('rejects a chunk with a bad feed, naming the message and the field at fault', () => {
    const body = JSON.stringify({ feeds: [{ url: FEED }, { url: 'ftp://x' }], correlationId: 'c' });
    expect(() => parseIngestMessage('m3', body)).toThrow(InvalidIngestEventError);
    expect(() => parseIngestMessage('m3', body)).toThrow(
      /^message m3: not an ingest event: feeds\.1\.url: must be an http or https URL/,
    );
  });

  it('rejects a single feed spec, the message format before chunks, naming what is missing', () => {
    expect(() => parseIngestMessage('m4', JSON.stringify({ url: FEED }))).toThrow(
      /feeds: .*correlationId: /,
    );
  });
});

describe('parseIngestEvent', () => {
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

describe('recordIngestMetrics', () => {
  it('counts a polled feed with its items, new items, matches and duration', () => {
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'newswatch' });
    recordIngestMetrics(metrics, result(), 250);
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
      result({
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
    recordIngestMetrics(metrics, result({ outcome: 'skipped', items: 0, newItems: 0 }), 1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});

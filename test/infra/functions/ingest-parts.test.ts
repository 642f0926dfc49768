import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { InvalidFeedMessageError, parseFeedMessage } from '#functions/ingest/feed-message.ts';
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

describe('parseFeedMessage', () => {
  it('reads the feed spec the schedule function sent', () => {
    const feed = parseFeedMessage({
      messageId: 'm1',
      body: JSON.stringify({ url: 'https://example.com/feed.xml', name: 'Example' }),
    });
    expect(feed).toEqual({ url: 'https://example.com/feed.xml', name: 'Example', tags: [] });
  });

  it('rejects a body that is not JSON, naming the message', () => {
    expect(() => parseFeedMessage({ messageId: 'm2', body: '{' })).toThrow(
      /message m2: body is not JSON/,
    );
  });

  it('rejects a body that is not a feed, naming the bad field', () => {
    expect(() =>
      parseFeedMessage({ messageId: 'm3', body: JSON.stringify({ url: 'ftp://x' }) }),
    ).toThrow(InvalidFeedMessageError);
    expect(() =>
      parseFeedMessage({ messageId: 'm3', body: JSON.stringify({ url: 'ftp://x' }) }),
    ).toThrow(/url/);
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

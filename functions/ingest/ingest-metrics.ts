import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MetricName } from '#shared/observability/metric-names.ts';
import type { MetricsLevel } from '#shared/observability/metrics-level.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';

/** Dimension of the per-code failure metric. */
export const FAILURE_CODE_DIMENSION = 'code';

/**
 * Turns one feed's ingest result into the sweep's metrics (items, new items, matches, failures,
 * duration). FeedFailures is 1 for a failed and 0 for any other polled feed, so its Average is the
 * share of polled feeds failing and its SampleCount the feeds polled: the mass-failure alarm needs
 * only this one series, the one the essential level emits; the full level adds the rest.
 */
export function recordIngestMetrics(
  metrics: Pick<Metrics, 'addMetric' | 'singleMetric'>,
  level: MetricsLevel,
  result: FeedIngestResult,
  durationMs: number,
): void {
  if (result.outcome === 'skipped') return;
  const failed = result.outcome === 'failed';
  metrics.addMetric(MetricName.FeedFailures, MetricUnit.Count, failed ? 1 : 0);
  if (level !== 'full') return;
  metrics.addMetric(MetricName.FeedsPolled, MetricUnit.Count, 1);
  metrics.addMetric(MetricName.ItemsFetched, MetricUnit.Count, result.items);
  metrics.addMetric(MetricName.NewItems, MetricUnit.Count, result.newItems);
  metrics.addMetric(MetricName.Matches, MetricUnit.Count, result.matches.length);
  metrics.addMetric(
    MetricName.AlertWorthyMatches,
    MetricUnit.Count,
    result.matches.filter((match) => match.alert).length,
  );
  metrics.addMetric(MetricName.IngestDuration, MetricUnit.Milliseconds, durationMs);
  if (failed) {
    // Its own EMF blob, so the code dimension does not split the other metrics.
    const byCode = metrics.singleMetric();
    byCode.addDimension(FAILURE_CODE_DIMENSION, result.error?.code ?? 'UNKNOWN');
    byCode.addMetric(MetricName.FeedFailuresByCode, MetricUnit.Count, 1);
  }
}

/** The logger methods the ingest log lines use (Powertools Logger fits). */
export interface IngestLog {
  debug(message: string, detail: Record<string, unknown>): void;
  warn(message: string, detail: Record<string, unknown>): void;
}

/**
 * Logs one feed's result: a failure (with its code) and each unscored item at warn, a success at
 * debug only, so a sweep writes one line per problem and not one per feed (Logs bills ingestion).
 */
export function logFeedResult(log: IngestLog, result: FeedIngestResult): void {
  const detail = {
    feed: result.url,
    outcome: result.outcome,
    items: result.items,
    newItems: result.newItems,
    matches: result.matches.length,
  };
  if (result.outcome === 'failed') log.warn('feed failed', { ...detail, error: result.error });
  else log.debug('feed ingested', detail);
  for (const itemError of result.itemErrors) {
    log.warn('item not scored', { feed: result.url, ...itemError });
  }
}

/** What one ingest invocation did, for its single info line. */
export interface IngestSummary {
  feeds: number;
  polled: number;
  skipped: number;
  failed: number;
  items: number;
  newItems: number;
  matches: number;
  alertWorthy: number;
  /** Failed feeds by FeedError code (the per-code metric exists only at the full level). */
  failuresByCode: Record<string, number>;
}

/** Sums an invocation's feed results into the one summary line it logs at info. */
export function summarizeIngestResults(results: readonly FeedIngestResult[]): IngestSummary {
  const summary: IngestSummary = {
    feeds: results.length,
    polled: 0,
    skipped: 0,
    failed: 0,
    items: 0,
    newItems: 0,
    matches: 0,
    alertWorthy: 0,
    failuresByCode: {},
  };
  for (const result of results) {
    if (result.outcome === 'skipped') {
      summary.skipped += 1;
      continue;
    }
    summary.polled += 1;
    summary.items += result.items;
    summary.newItems += result.newItems;
    summary.matches += result.matches.length;
    summary.alertWorthy += result.matches.filter((match) => match.alert).length;
    if (result.outcome === 'failed') {
      summary.failed += 1;
      const code = result.error?.code ?? 'UNKNOWN';
      summary.failuresByCode[code] = (summary.failuresByCode[code] ?? 0) + 1;
    }
  }
  return summary;
}

import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MetricName } from '#shared/observability/metric-names.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';

/** Dimension of the per-code failure metric. */
export const FAILURE_CODE_DIMENSION = 'code';

/** Turns one feed's ingest result into the sweep's metrics (items, new items, matches, failures, duration). */
export function recordIngestMetrics(
  metrics: Pick<Metrics, 'addMetric' | 'singleMetric'>,
  result: FeedIngestResult,
  durationMs: number,
): void {
  if (result.outcome === 'skipped') return;
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
  if (result.outcome === 'failed') {
    metrics.addMetric(MetricName.FeedFailures, MetricUnit.Count, 1);
    // Its own EMF blob, so the code dimension does not split the other metrics.
    const byCode = metrics.singleMetric();
    byCode.addDimension(FAILURE_CODE_DIMENSION, result.error?.code ?? 'UNKNOWN');
    byCode.addMetric(MetricName.FeedFailuresByCode, MetricUnit.Count, 1);
  }
}

/** The CloudWatch namespace every newswatch metric is published in. */
export const METRICS_NAMESPACE = 'Newswatch';

/** The service name on every log line and the `service` dimension of every metric. */
export const SERVICE_NAME = 'newswatch';

/**
 * Metric names shared by the handlers that emit them and the alarms and dashboard that read
 * them, so the two cannot drift.
 */
export const MetricName = {
  /** Feeds a schedule tick found due and queued. */
  FeedsQueued: 'FeedsQueued',
  /** Feeds an ingest invocation polled (fetched, not modified or failed; skipped ones excluded). */
  FeedsPolled: 'FeedsPolled',
  /** Items in the fetched feed documents. */
  ItemsFetched: 'ItemsFetched',
  /** Items never seen before. */
  NewItems: 'NewItems',
  /** Matches stored. */
  Matches: 'Matches',
  /** Stored matches that are alert-worthy. */
  AlertWorthyMatches: 'AlertWorthyMatches',
  /** Alerts published to the alert topic (emitted by the alert function). */
  AlertsSent: 'AlertsSent',
  /**
   * 1 per failed and 0 per healthy polled feed, all codes together: Average is the failure share,
   * SampleCount the feeds polled (the alarmed metric, emitted at every metrics level).
   */
  FeedFailures: 'FeedFailures',
  /** Feeds that failed, with a `code` dimension (FeedError code); full metrics level only. */
  FeedFailuresByCode: 'FeedFailuresByCode',
  /**
   * Wall time of one feed's ingest, from its poll to its matches and state recorded, in
   * milliseconds; a feed with matches waits for the batch they are stored in.
   */
  IngestDuration: 'IngestDuration',
  /** Wall time of one schedule tick (plan and enqueue), in milliseconds. */
  SweepPlanDuration: 'SweepPlanDuration',
} as const;

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { EnvName, IngestEnvSchema, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { CORRELATION_ATTRIBUTE } from '#shared/observability/correlation.ts';
import { logger, metrics, withObservability } from '#shared/observability/observability.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { ingestFeed } from '#shared/sweep/ingest-feed.ts';
import { parseFeedMessage } from './feed-message.ts';
import { recordIngestMetrics } from './ingest-metrics.ts';

// Read once per container: a bad variable fails the cold start with its name in the message.
const env = readLambdaEnv(IngestEnvSchema);

const store = createDynamoStore({
  tableName: env[EnvName.tableName],
  matchRetentionDays: env[EnvName.matchRetentionDays],
  ledgerRetentionDays: env[EnvName.ledgerRetentionDays],
});
const poller = createFeedPoller({
  // Deployed, a feed URL never reaches private or link-local addresses (instance metadata above all).
  allowPrivateNetwork: false,
  timeoutMs: env[EnvName.fetchTimeoutMs],
  maxBodyBytes: env[EnvName.fetchMaxBodyBytes],
  perHostConcurrency: env[EnvName.fetchPerHostConcurrency],
});
const stories = createStoryAssigner(store);
const processor = new BatchProcessor(EventType.SQS);

let scorer: Promise<Scorer> | undefined;

/** The profile from the bundled seeds, derived on the first batch and kept; a failure is retried. */
function profileScorer(): Promise<Scorer> {
  scorer ??= loadProfile(env[EnvName.seedsDir], {
    thresholds: { match: env[EnvName.matchThreshold], alert: env[EnvName.alertThreshold] },
  })
    .then(createScorer)
    .catch((error: unknown) => {
      scorer = undefined;
      throw error;
    });
  return scorer;
}

/**
 * One feed message: ingest the feed. A feed that fails (HTTP, parse, guard) is recorded in its
 * feed state by ingestFeed and returns normally; a store failure throws, so only this message is
 * retried (partial batch response), and after maxReceiveCount it goes to the dead-letter queue.
 */
async function ingestRecord(record: SQSRecord): Promise<void> {
  const feed = parseFeedMessage(record);
  const startedAt = Date.now();
  const result = await ingestFeed(feed, { poller, store, scorer: await profileScorer(), stories });
  recordIngestMetrics(metrics, result, Date.now() - startedAt);
  const detail = {
    feed: feed.url,
    outcome: result.outcome,
    items: result.items,
    newItems: result.newItems,
    matches: result.matches.length,
  };
  if (result.outcome === 'failed') logger.warn('feed failed', { ...detail, error: result.error });
  else logger.info('feed ingested', detail);
  for (const itemError of result.itemErrors)
    logger.warn('item not scored', { feed: feed.url, ...itemError });
}

/** SQS entry point: one message per feed, partial batch failures for the messages to retry. */
export const handler = withObservability<SQSEvent, SQSBatchResponse>(
  (event) => processPartialResponse(event, ingestRecord, processor),
  {
    name: 'ingest',
    correlationId: (event) =>
      event.Records[0]?.messageAttributes?.[CORRELATION_ATTRIBUTE]?.stringValue,
  },
);

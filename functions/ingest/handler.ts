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
import { ingestChunk } from './ingest-chunk.ts';
import { parseIngestMessage } from './ingest-event.ts';

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

/** The profile from the bundled seeds, derived on the first chunk and kept; a failure is retried. */
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
 * One message: a chunk of feeds. A feed that fails (HTTP, parse, guard) is recorded in its feed
 * state and the chunk succeeds; a store failure or a message that is not a chunk throws, so the
 * message is delivered again and, after maxReceiveCount, goes to the dead-letter queue.
 */
async function ingestRecord(record: SQSRecord): Promise<void> {
  try {
    const event = parseIngestMessage(record.messageId, record.body);
    const summary = await ingestChunk(event, {
      poller,
      store,
      scorer: await profileScorer(),
      stories,
      metrics,
      log: logger,
    });
    logger.info('chunk ingested', { ...summary });
  } catch (error) {
    // The batch utility keeps record errors to itself: this line is what names the feeds or the
    // bad field when an operator looks into a dead-lettered chunk.
    logger.error('chunk failed', {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      error: error as Error,
    });
    throw error;
  }
}

/** SQS entry point: one chunk of feeds per message, partial batch failures for those to retry. */
export const handler = withObservability<SQSEvent, SQSBatchResponse>(
  (event) => processPartialResponse(event, ingestRecord, processor),
  {
    name: 'ingest',
    correlationId: (event) =>
      event.Records[0]?.messageAttributes?.[CORRELATION_ATTRIBUTE]?.stringValue,
  },
);

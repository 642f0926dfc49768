import type { Context } from 'aws-lambda';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { EnvName, IngestEnvSchema, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { logger, metrics, withObservability } from '#shared/observability/observability.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { ingestChunk } from './ingest-chunk.ts';
import { correlationIdOf, parseIngestEvent } from './ingest-event.ts';
import type { IngestSummary } from './ingest-metrics.ts';

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
 * Asynchronous invocation entry point: the event is one chunk of feeds. A feed that fails (HTTP,
 * parse, guard) is recorded in its feed state and the chunk succeeds; a store failure
 * (StoreFailureError) or an event that is not a chunk (InvalidIngestEventError) throws, so Lambda
 * runs the event again and, once its retries are spent, sends it to the on-failure destination.
 * The wrapper's error line names the feeds or the field at fault.
 */
export const handler = withObservability<unknown, IngestSummary>(
  async (event: unknown, context: Context) => {
    const chunk = parseIngestEvent(event, `ingest request ${context.awsRequestId}`);
    const summary = await ingestChunk(chunk, {
      poller,
      store,
      scorer: await profileScorer(),
      stories,
      metrics,
      log: logger,
    });
    logger.info('chunk ingested', { ...summary });
    return summary;
  },
  { name: 'ingest', correlationId: correlationIdOf },
);

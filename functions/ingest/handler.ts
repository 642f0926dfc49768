import type { Context } from 'aws-lambda';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { EnvName, IngestEnvSchema, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import {
  logger,
  metrics,
  metricsLevel,
  withObservability,
} from '#shared/observability/observability.ts';
import { profileSourceFromEnv, storeFromEnv } from '../from-env.ts';
import { ingestChunk } from './ingest-chunk.ts';
import { correlationIdOf, parseIngestEvent } from './ingest-event.ts';
import { scorerInUse } from './scorer-in-use.ts';

const env = readLambdaEnv(IngestEnvSchema);
const store = storeFromEnv(env);
const poller = createFeedPoller({
  allowPrivateNetwork: false, // deployed, no feed may reach private or link-local addresses
  timeoutMs: env[EnvName.fetchTimeoutMs],
  maxBodyBytes: env[EnvName.fetchMaxBodyBytes],
  perHostConcurrency: env[EnvName.fetchPerHostConcurrency],
});
const stories = createStoryAssigner(store);
const profiles = profileSourceFromEnv(env, store);

/** One chunk of feeds per asynchronous invocation; a store failure throws so Lambda retries it. */
export const handler = withObservability(
  async (event: unknown, context: Context) => {
    const chunk = parseIngestEvent(event, `ingest request ${context.awsRequestId}`);
    const deps = { poller, store, stories, metrics, metricsLevel, log: logger };
    const summary = await ingestChunk(chunk, { ...deps, scorer: await scorerInUse(profiles) });
    logger.info('chunk ingested', { ...summary });
    return summary;
  },
  { name: 'ingest', correlationId: correlationIdOf },
);

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { EnvName, readLambdaEnv, ScheduleEnvSchema } from '#shared/config/lambda-env.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { loadFeedList } from '#shared/feeds/load-feed-list.ts';
import { MetricName } from '#shared/observability/metric-names.ts';
import { logger, metrics, withObservability } from '#shared/observability/observability.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { planDueFeeds } from '#shared/sweep/plan-sweep.ts';
import { ChunkEnvName, ChunkEnvSchema } from './chunk-env.ts';
import { chunkFeeds } from './chunk-feeds.ts';
import { createIngestLambdaClient, invokeIngest } from './ingest-invoker.ts';

// Read once per container: a bad variable fails the cold start with its name in the message.
const env = readLambdaEnv(ScheduleEnvSchema);
const chunking = readLambdaEnv(ChunkEnvSchema);
const store = createDynamoStore({ tableName: env[EnvName.tableName] });
const lambda = createIngestLambdaClient();

let feedList: Promise<FeedSpec[]> | undefined;

/** The bundled feed list, read on the first tick and kept; a failed read is retried next tick. */
function feeds(): Promise<FeedSpec[]> {
  feedList ??= loadFeedList(env[EnvName.feedsFile]).catch((error: unknown) => {
    feedList = undefined;
    throw error;
  });
  return feedList;
}

export interface ScheduleResult {
  feeds: number;
  /** Feeds handed to the ingest function (queued by Lambda as asynchronous invocations). */
  queued: number;
  /** Ingest invocations (chunks of feeds) started. */
  chunks: number;
}

/** One schedule tick: plan the due feeds and invoke the ingest function once per chunk of them. */
export const handler = withObservability<unknown, ScheduleResult>(
  async (_event: unknown, context: Context) => {
    const startedAt = Date.now();
    const all = await feeds();
    const due = await planDueFeeds(all, store, env[EnvName.intervalMinutes], new Date());
    const events = chunkFeeds(due, {
      batchSize: chunking[ChunkEnvName.ingestBatchSize],
      maxChunks: chunking[ChunkEnvName.maxConcurrentIngests],
    }).map((chunk) => ({ feeds: chunk, correlationId: context.awsRequestId }));
    const queued = await invokeIngest(lambda, env[EnvName.ingestFunctionName], events);
    metrics.addMetric(MetricName.FeedsQueued, MetricUnit.Count, queued);
    metrics.addMetric(
      MetricName.SweepPlanDuration,
      MetricUnit.Milliseconds,
      Date.now() - startedAt,
    );
    logger.info('sweep planned', { feeds: all.length, queued, chunks: events.length });
    return { feeds: all.length, queued, chunks: events.length };
  },
  { name: 'schedule' },
);

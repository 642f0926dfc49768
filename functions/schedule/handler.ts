import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { EnvName, readLambdaEnv, ScheduleEnvSchema } from '#shared/config/lambda-env.ts';
import { feedSpecOf } from '#shared/feeds/listed-feed.ts';
import { MetricName } from '#shared/observability/metric-names.ts';
import * as observed from '#shared/observability/observability.ts';
import { planDueFeeds } from '#shared/sweep/plan-sweep.ts';
import { feedListFromEnv, storeFromEnv } from '../from-env.ts';
import { chunkFeeds } from './chunk-feeds.ts';
import { createIngestLambdaClient, invokeIngest } from './ingest-invoker.ts';

const env = readLambdaEnv(ScheduleEnvSchema);
const store = storeFromEnv(env);
const lambda = createIngestLambdaClient();
// The list lives in the store, read afresh each tick; the bundled file only seeds a fresh store.
const feedList = feedListFromEnv(env, store);
const limits = {
  batchSize: env[EnvName.ingestBatchSize],
  maxChunks: env[EnvName.maxConcurrentIngests],
};

/** One schedule tick: plan the due feeds and invoke the ingest function once per chunk of them. */
export const handler = observed.withObservability(
  async (_event: unknown, context: Context) => {
    const startedAt = Date.now();
    const all = (await feedList.list()).map(feedSpecOf);
    const due = await planDueFeeds(all, store, env[EnvName.intervalMinutes], new Date());
    const correlationId = context.awsRequestId;
    const events = chunkFeeds(due, limits).map((feeds) => ({ feeds, correlationId }));
    const queued = await invokeIngest(lambda, env[EnvName.ingestFunctionName], events);
    if (observed.metricsLevel === 'full') {
      observed.metrics.addMetric(MetricName.FeedsQueued, MetricUnit.Count, queued);
      const planMs = Date.now() - startedAt;
      observed.metrics.addMetric(MetricName.SweepPlanDuration, MetricUnit.Milliseconds, planMs);
    }
    observed.logger.info('sweep planned', { feeds: all.length, queued, chunks: events.length });
    return { feeds: all.length, queued, chunks: events.length };
  },
  { name: 'schedule' },
);

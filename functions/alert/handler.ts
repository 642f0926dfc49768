import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import {
  createAlertSnsClient,
  createSnsAlertPublisher,
} from '#shared/alerts/sns-alert-publisher.ts';
import { AlertEnvSchema, EnvName, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { MetricName } from '#shared/observability/metric-names.ts';
import { logger, metrics, withObservability } from '#shared/observability/observability.ts';
import { decodeMatchImage } from '#shared/store/dynamodb-match-codec.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import {
  createAlertHandler,
  type FlushDigestResponse,
  type StreamBatchResponse,
} from './alert-handler.ts';

// Read once per container: a bad variable fails the cold start with its name in the message.
const env = readLambdaEnv(AlertEnvSchema);

const store = createDynamoStore({
  tableName: env[EnvName.tableName],
  matchRetentionDays: env[EnvName.matchRetentionDays],
  ledgerRetentionDays: env[EnvName.ledgerRetentionDays],
});

const sns = createAlertSnsClient();

const service = createAlertService({
  store,
  publisher: createSnsAlertPublisher({ client: sns, topicArn: env[EnvName.alertTopicArn] }),
  settings: {
    maxPerSweep: env[EnvName.alertMaxPerSweep],
    maxPerHour: env[EnvName.alertMaxPerHour],
    mode: env[EnvName.alertMode],
    leaseSeconds: 60,
  },
  log: (event, detail) => logger.info(event, detail),
});

const alertHandler = createAlertHandler({
  service,
  decodeMatchImage,
  log: (level, message, detail) => logger[level](message, detail),
  onBatch: (result) => {
    metrics.addMetric(MetricName.AlertsSent, MetricUnit.Count, result.sent);
  },
});

/** Stream batches of new alert-worthy matches, or `{"action": "flush-digest"}` on a schedule. */
export const handler = withObservability<unknown, StreamBatchResponse | FlushDigestResponse>(
  (event: unknown, context: Context) => alertHandler(event, context),
  { name: 'alert' },
);

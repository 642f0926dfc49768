import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import {
  createAlertSnsClient,
  createSnsAlertPublisher,
} from '#shared/alerts/sns-alert-publisher.ts';
import { AlertEnvSchema, EnvName, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { MetricName } from '#shared/observability/metric-names.ts';
import * as observed from '#shared/observability/observability.ts';
import { decodeMatchImage } from '#shared/store/dynamodb-match-codec.ts';
import { storeFromEnv } from '../from-env.ts';
import { createAlertHandler } from './alert-handler.ts';

const env = readLambdaEnv(AlertEnvSchema);
const sns = createAlertSnsClient();
const service = createAlertService({
  store: storeFromEnv(env),
  publisher: createSnsAlertPublisher({ client: sns, topicArn: env[EnvName.alertTopicArn] }),
  settings: {
    maxPerSweep: env[EnvName.alertMaxPerSweep],
    maxPerHour: env[EnvName.alertMaxPerHour],
    mode: env[EnvName.alertMode],
    leaseSeconds: 60,
  },
  log: (event, detail) => observed.logger.info(event, detail),
});
const alertHandler = createAlertHandler({
  service,
  decodeMatchImage,
  log: (level, message, detail) => observed.logger[level](message, detail),
  onBatch: (result) => {
    if (observed.metricsLevel !== 'full') return;
    observed.metrics.addMetric(MetricName.AlertsSent, MetricUnit.Count, result.sent);
  },
});

/** Stream batches of new alert-worthy matches, or `{"action": "flush-digest"}` on a schedule. */
export const handler = observed.withObservability(alertHandler, { name: 'alert' });

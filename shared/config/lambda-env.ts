import { z } from 'zod';
import { describeZodIssues } from './config-error.ts';
import { ConfigSchema } from './config-schema.ts';

/**
 * The environment of each Lambda function, one schema per function. The CDK constructs set these
 * variables (`infra/`) and each handler validates them once, at cold start, with
 * {@link readLambdaEnv}. A variable that mirrors a config key takes that key's schema, so its
 * bounds and its default are the config's.
 */

/** A Lambda's environment is missing a variable or holds a bad value; the message names it. */
export class LambdaEnvError extends Error {
  override readonly name = 'LambdaEnvError';
}

/** Environment variable names, shared by the CDK constructs that set them and the handlers. */
export const EnvName = {
  tableName: 'TABLE_NAME',
  ingestFunctionName: 'INGEST_FUNCTION_NAME',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  feedsFile: 'FEEDS_FILE',
  seedsDir: 'SEEDS_DIR',
  intervalMinutes: 'INTERVAL_MINUTES',
  ingestBatchSize: 'INGEST_BATCH_SIZE',
  maxConcurrentIngests: 'MAX_CONCURRENT_INGESTS',
  matchThreshold: 'MATCH_THRESHOLD',
  alertThreshold: 'ALERT_THRESHOLD',
  fetchTimeoutMs: 'FETCH_TIMEOUT_MS',
  fetchMaxBodyBytes: 'FETCH_MAX_BODY_BYTES',
  fetchPerHostConcurrency: 'FETCH_PER_HOST_CONCURRENCY',
  matchRetentionDays: 'MATCH_RETENTION_DAYS',
  ledgerRetentionDays: 'LEDGER_RETENTION_DAYS',
  alertMaxPerSweep: 'ALERT_MAX_PER_SWEEP',
  alertMaxPerHour: 'ALERT_MAX_PER_HOUR',
  alertMode: 'ALERT_MODE',
  corsOrigins: 'CORS_ORIGINS',
} as const;

/**
 * Most feeds one ingest invocation takes (the schedule-to-ingest hand-over of
 * `functions/ingest/ingest-event.ts`); the schedule never builds a larger chunk.
 */
export const MAX_FEEDS_PER_EVENT = 50;

const config = ConfigSchema.shape;
const thresholds = config.thresholds.unwrap().shape;
const alerts = config.alerts.unwrap().shape;
const retentionDays = config.retention.unwrap().shape;
const fetch = config.fetch.unwrap().shape;

/** A config key's schema read from a variable: unset or empty takes the key's default. */
function numberFrom<T extends z.ZodType>(field: T) {
  return z.preprocess((raw) => (raw === undefined || raw === '' ? undefined : Number(raw)), field);
}

const nonEmpty = z.string().trim().min(1, 'must be set');
const positiveInt = z.coerce.number().int().positive();
const commaList = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );

const retention = {
  [EnvName.matchRetentionDays]: numberFrom(retentionDays.matchesDays),
  [EnvName.ledgerRetentionDays]: numberFrom(retentionDays.ledgerDays),
};
const profileThresholds = {
  [EnvName.matchThreshold]: numberFrom(thresholds.match),
  [EnvName.alertThreshold]: numberFrom(thresholds.alert),
};

/**
 * The schedule function: the feed list that seeds a fresh store, which feeds are due, how to cut
 * them into ingest chunks.
 */
export const ScheduleEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.ingestFunctionName]: nonEmpty,
  [EnvName.feedsFile]: nonEmpty,
  [EnvName.intervalMinutes]: numberFrom(config.intervalMinutes.unwrap()),
  [EnvName.ingestBatchSize]: positiveInt.max(MAX_FEEDS_PER_EVENT),
  [EnvName.maxConcurrentIngests]: positiveInt,
});
export type ScheduleEnv = z.infer<typeof ScheduleEnvSchema>;

/** The ingest function: fetch limits, the profile's seeds and optional threshold overrides. */
export const IngestEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.seedsDir]: nonEmpty,
  ...profileThresholds,
  [EnvName.fetchTimeoutMs]: numberFrom(fetch.timeoutMs),
  [EnvName.fetchMaxBodyBytes]: numberFrom(fetch.maxBodyBytes),
  [EnvName.fetchPerHostConcurrency]: numberFrom(fetch.perHostConcurrency),
  ...retention,
});
export type IngestEnv = z.infer<typeof IngestEnvSchema>;

/** The alert function: the topic to publish to and the alert caps. */
export const AlertEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.alertTopicArn]: nonEmpty,
  [EnvName.alertMaxPerSweep]: numberFrom(alerts.maxPerSweep),
  [EnvName.alertMaxPerHour]: numberFrom(alerts.maxPerHour),
  [EnvName.alertMode]: alerts.mode,
  ...retention,
});
export type AlertEnv = z.infer<typeof AlertEnvSchema>;

/**
 * The api function: the table, read (it puts only the cursor key, feedback, profile versions and
 * feed list edits), the seeds (for `/profile`), the feed list that seeds a fresh store, and CORS.
 */
export const ApiEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.seedsDir]: nonEmpty,
  [EnvName.feedsFile]: nonEmpty,
  ...profileThresholds,
  [EnvName.corsOrigins]: commaList,
  ...retention,
});
export type ApiEnv = z.infer<typeof ApiEnvSchema>;

/** Validates a function's environment once; the error names every missing or bad variable. */
export function readLambdaEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new LambdaEnvError(`Invalid Lambda environment: ${describeZodIssues(parsed.error)}`);
  }
  return parsed.data;
}

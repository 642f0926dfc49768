import { z } from 'zod';
import { describeZodIssues } from './config-error.ts';

/**
 * The environment of each Lambda function, one schema per function. The CDK function construct
 * sets these variables (see `infra/newswatch-function.ts`) and each handler validates them once,
 * at cold start, with {@link readLambdaEnv}.
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

const nonEmpty = z.string().trim().min(1, 'must be set');
const positiveInt = z.coerce.number().int().positive();
const threshold = z.coerce.number().min(0).max(1).optional();
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
  [EnvName.matchRetentionDays]: positiveInt.default(365),
  [EnvName.ledgerRetentionDays]: positiveInt.default(30),
};

/** The schedule function: which feeds exist, which are due, which function ingests them. */
export const ScheduleEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.ingestFunctionName]: nonEmpty,
  [EnvName.feedsFile]: nonEmpty,
  [EnvName.intervalMinutes]: positiveInt,
});
export type ScheduleEnv = z.infer<typeof ScheduleEnvSchema>;

/** The ingest function: fetch limits, the profile's seeds and optional threshold overrides. */
export const IngestEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.seedsDir]: nonEmpty,
  [EnvName.matchThreshold]: threshold,
  [EnvName.alertThreshold]: threshold,
  [EnvName.fetchTimeoutMs]: positiveInt.default(20_000),
  [EnvName.fetchMaxBodyBytes]: positiveInt.default(10 * 1024 * 1024),
  [EnvName.fetchPerHostConcurrency]: positiveInt.default(2),
  ...retention,
});
export type IngestEnv = z.infer<typeof IngestEnvSchema>;

/** The alert function: the topic to publish to and the alert caps. */
export const AlertEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.alertTopicArn]: nonEmpty,
  [EnvName.alertMaxPerSweep]: positiveInt.default(10),
  [EnvName.alertMaxPerHour]: positiveInt.default(30),
  [EnvName.alertMode]: z.enum(['instant', 'hourly', 'daily']).default('instant'),
  ...retention,
});
export type AlertEnv = z.infer<typeof AlertEnvSchema>;

/** The api function: read-only table access, the seeds (for `/profile`), the feed list, CORS. */
export const ApiEnvSchema = z.object({
  [EnvName.tableName]: nonEmpty,
  [EnvName.seedsDir]: nonEmpty,
  [EnvName.feedsFile]: nonEmpty,
  [EnvName.matchThreshold]: threshold,
  [EnvName.alertThreshold]: threshold,
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

import { z } from 'zod';
import { MetricName } from './metric-names.ts';

/**
 * The environment variable that says how many custom metrics a function emits. The CDK stack
 * sets it on every function from the `monitoring` context key; each custom metric series costs
 * $0.30 a month whatever the traffic, so the default deployment emits only what its alarms read.
 */
export const METRICS_LEVEL_ENV = 'NEWSWATCH_METRICS_LEVEL';

/**
 * `essential`: only the metrics the essential alarms read, no cold-start metric.
 * `full`: every metric in {@link MetricName}, per-code failures and a cold-start metric per function.
 * Each call site that adds a metric outside {@link ESSENTIAL_METRIC_NAMES} checks the level first.
 */
export const MetricsLevelSchema = z.enum(['essential', 'full']);
export type MetricsLevel = z.infer<typeof MetricsLevelSchema>;

/**
 * The metric names emitted at the essential level. FeedFailures is emitted as 1 for a failed and
 * 0 for a healthy poll, so one series gives the failure share (Average) the mass-failure alarm reads.
 */
export const ESSENTIAL_METRIC_NAMES: ReadonlySet<string> = new Set([MetricName.FeedFailures]);

/** The variable is set but holds neither level; the message names it and the allowed values. */
export class MetricsLevelError extends Error {
  override readonly name = 'MetricsLevelError';
}

/**
 * Reads the metrics level from the environment. Unset means `full`: a local run or a test emits
 * everything, and the deployed stack always sets the variable.
 */
export function readMetricsLevel(env: NodeJS.ProcessEnv): MetricsLevel {
  const raw = env[METRICS_LEVEL_ENV];
  if (raw === undefined || raw.trim() === '') return 'full';
  const parsed = MetricsLevelSchema.safeParse(raw.trim());
  if (!parsed.success) {
    throw new MetricsLevelError(
      `${METRICS_LEVEL_ENV} must be one of ${MetricsLevelSchema.options.join(', ')}, got "${raw}"`,
    );
  }
  return parsed.data;
}

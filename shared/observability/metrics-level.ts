import { Metrics } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from './metric-names.ts';

/**
 * The environment variable that says how many custom metrics a function emits. The CDK stack
 * sets it on every function from the `monitoring` context key; each custom metric series costs
 * $0.30 a month whatever the traffic, so the default deployment emits only what its alarms read.
 */
export const METRICS_LEVEL_ENV = 'NEWSWATCH_METRICS_LEVEL';

/**
 * `essential`: only the metrics the essential alarms read, no cold-start metric.
 * `full`: every metric in {@link MetricName}, per-code failures and a cold-start metric per function.
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

interface LeveledMetricsOptions {
  readonly level: MetricsLevel;
  readonly singleMetric?: boolean;
}

/**
 * Powertools Metrics that drop what the level does not emit: names outside
 * {@link ESSENTIAL_METRIC_NAMES} and the cold-start metric at `essential`. Handlers call it like
 * any Metrics object, so the choice lives here and not in every handler.
 */
export class LeveledMetrics extends Metrics {
  public readonly level: MetricsLevel;

  constructor(options: LeveledMetricsOptions) {
    super({
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
      singleMetric: options.singleMetric ?? false,
    });
    this.level = options.level;
  }

  /** Whether the level emits the metric `name`. */
  public emits(name: string): boolean {
    return this.level === 'full' || ESSENTIAL_METRIC_NAMES.has(name);
  }

  public override addMetric(
    name: string,
    unit: Parameters<Metrics['addMetric']>[1],
    value: number,
    resolution?: Parameters<Metrics['addMetric']>[3],
  ): this {
    if (!this.emits(name)) return this;
    return super.addMetric(name, unit, value, resolution);
  }

  public override singleMetric(): Metrics {
    return new LeveledMetrics({ level: this.level, singleMetric: true });
  }

  public override captureColdStartMetric(functionName?: string): void {
    if (this.level === 'full') super.captureColdStartMetric(functionName);
  }

  /** Publishes what is stored; an invocation with nothing to publish stays silent instead of warning. */
  public override publishStoredMetrics(): this {
    if (this.hasStoredMetrics()) return super.publishStoredMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}

/** The Metrics buffer for a level; {@link readMetricsLevel} picks the level from the environment. */
export function createMetrics(level: MetricsLevel): LeveledMetrics {
  return new LeveledMetrics({ level });
}

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricName } from '#shared/observability/metric-names.ts';
import {
  createMetrics,
  type LeveledMetrics,
  METRICS_LEVEL_ENV,
  MetricsLevelError,
  readMetricsLevel,
} from '#shared/observability/metrics-level.ts';
import { logger, metrics, withObservability } from '#shared/observability/observability.ts';
import { lambdaContext } from './functions/lambda-context.ts';

describe('withObservability', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('uses the correlation id the event carries', async () => {
    const handler = withObservability(async () => logger.getCorrelationId(), {
      name: 'test',
      correlationId: (event: { id: string }) => event.id,
    });
    expect(await handler({ id: 'sweep-9' }, lambdaContext('fn'))).toBe('sweep-9');
  });

  it('falls back to the Lambda request id as the correlation id', async () => {
    const handler = withObservability(async () => logger.getCorrelationId(), { name: 'test' });
    expect(await handler({}, lambdaContext('fn', 'request-77'))).toBe('request-77');
  });

  it('flushes the stored metrics even when the handler throws', async () => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const handler = withObservability(
      async () => {
        metrics.addMetric(MetricName.FeedFailures, MetricUnit.Count, 1);
        throw new Error('boom');
      },
      { name: 'test' },
    );
    await expect(handler({}, lambdaContext('fn'))).rejects.toThrow('boom');
    expect(publish).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('logs a failure with its error before rethrowing it', async () => {
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const handler = withObservability(
      async () => {
        throw new TypeError('bad input');
      },
      { name: 'test' },
    );
    await expect(handler({}, lambdaContext('fn'))).rejects.toThrow(TypeError);
    expect(error).toHaveBeenCalledWith('handler failed', expect.any(TypeError));
  });
});

/** The metric names and values one EMF blob carries. */
function emitted(buffer: LeveledMetrics): Record<string, unknown> {
  const { _aws, ...values } = buffer.serializeMetrics() as unknown as Record<string, unknown> & {
    _aws: unknown;
  };
  return values;
}

/** Every EMF line written to stdout while `act` runs (Powertools writes through its own Console). */
function emfLines(act: () => void): Record<string, unknown>[] {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    act();
    return write.mock.calls
      .map(([chunk]) => String(chunk))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    write.mockRestore();
  }
}

describe('readMetricsLevel', () => {
  it('reads essential and full from NEWSWATCH_METRICS_LEVEL', () => {
    expect(readMetricsLevel({ [METRICS_LEVEL_ENV]: 'essential' })).toBe('essential');
    expect(readMetricsLevel({ [METRICS_LEVEL_ENV]: 'full' })).toBe('full');
  });

  it('emits everything when the variable is unset, as a local run does', () => {
    expect(readMetricsLevel({})).toBe('full');
  });

  it('rejects another value, naming the variable and the allowed levels', () => {
    expect(() => readMetricsLevel({ [METRICS_LEVEL_ENV]: 'all' })).toThrow(MetricsLevelError);
    expect(() => readMetricsLevel({ [METRICS_LEVEL_ENV]: 'all' })).toThrow(
      /NEWSWATCH_METRICS_LEVEL must be one of essential, full, got "all"/,
    );
  });
});

describe('LeveledMetrics', () => {
  it('keeps only FeedFailures at the essential level', () => {
    const buffer = createMetrics('essential');
    buffer.addMetric(MetricName.FeedFailures, MetricUnit.Count, 0);
    buffer.addMetric(MetricName.FeedsPolled, MetricUnit.Count, 1);
    buffer.addMetric(MetricName.IngestDuration, MetricUnit.Milliseconds, 120);
    expect(Object.keys(emitted(buffer)).sort()).toEqual([MetricName.FeedFailures, 'service']);
  });

  it('keeps every metric at the full level', () => {
    const buffer = createMetrics('full');
    buffer.addMetric(MetricName.FeedFailures, MetricUnit.Count, 0);
    buffer.addMetric(MetricName.FeedsPolled, MetricUnit.Count, 1);
    expect(emitted(buffer)).toMatchObject({ FeedFailures: 0, FeedsPolled: 1 });
  });

  it('drops a single metric with its own dimension at the essential level', () => {
    const lines = emfLines(() => {
      const single = createMetrics('essential').singleMetric();
      single.addDimension('code', 'HTTP_STATUS');
      single.addMetric(MetricName.FeedFailuresByCode, MetricUnit.Count, 1);
    });
    expect(lines).toEqual([]);
  });

  it('publishes a single metric with its own dimension at the full level', () => {
    const lines = emfLines(() => {
      const single = createMetrics('full').singleMetric();
      single.addDimension('code', 'HTTP_STATUS');
      single.addMetric(MetricName.FeedFailuresByCode, MetricUnit.Count, 1);
    });
    expect(lines).toEqual([
      expect.objectContaining({ FeedFailuresByCode: 1, code: 'HTTP_STATUS' }),
    ]);
  });

  it('captures no cold-start metric at the essential level', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const lines = emfLines(() => createMetrics('essential').captureColdStartMetric('ingest'));
    vi.unstubAllEnvs();
    expect(lines).toEqual([]);
  });

  it('captures a cold-start metric per function at the full level', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const lines = emfLines(() => createMetrics('full').captureColdStartMetric('ingest'));
    vi.unstubAllEnvs();
    expect(lines).toEqual([expect.objectContaining({ ColdStart: 1, function_name: 'ingest' })]);
  });

  it('writes nothing, not even a warning, when an invocation stored no metric', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const lines = emfLines(() => createMetrics('essential').publishStoredMetrics());
    expect(lines).toEqual([]);
    expect(stderr).not.toHaveBeenCalled();
  });
});

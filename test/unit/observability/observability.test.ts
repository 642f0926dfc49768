import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricName } from '#shared/observability/metric-names.ts';
import {
  METRICS_LEVEL_ENV,
  MetricsLevelError,
  readMetricsLevel,
} from '#shared/observability/metrics-level.ts';
import { logger, metrics, withObservability } from '#shared/observability/observability.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

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

describe('the metrics level, checked where metrics are added', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  /** The EMF lines of one first invocation of a handler, with the level set at cold start. */
  async function firstInvocation(level: string, act: (m: typeof metrics) => void = () => {}) {
    vi.stubEnv(METRICS_LEVEL_ENV, level);
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.resetModules();
    const fresh = await import('#shared/observability/observability.ts');
    const handler = fresh.withObservability(async () => act(fresh.metrics), { name: 'test' });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await handler({}, lambdaContext('ingest'));
      const lines = stdout.mock.calls.map(([chunk]) => String(chunk));
      return {
        emf: lines
          .filter((line) => line.includes('"_aws"'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
        warned: stderr.mock.calls.length + lines.filter((line) => line.includes('WARN')).length,
      };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  it('captures a cold-start metric per function at the full level only', async () => {
    expect((await firstInvocation('full')).emf).toEqual([
      expect.objectContaining({ ColdStart: 1, function_name: 'ingest' }),
    ]);
    expect((await firstInvocation('essential')).emf).toEqual([]);
  });

  it('writes nothing, not even a warning, when an invocation stored no metric', async () => {
    expect(await firstInvocation('essential')).toEqual({ emf: [], warned: 0 });
  });

  it('publishes what the invocation stored', async () => {
    const { emf } = await firstInvocation('essential', (m) =>
      m.addMetric(MetricName.FeedFailures, MetricUnit.Count, 1),
    );
    expect(emf).toEqual([expect.objectContaining({ FeedFailures: 1 })]);
  });
});

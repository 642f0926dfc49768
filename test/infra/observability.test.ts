import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
        metrics.addMetric('Matches', MetricUnit.Count, 1);
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

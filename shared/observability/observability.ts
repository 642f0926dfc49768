import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { METRICS_NAMESPACE, SERVICE_NAME } from './metric-names.ts';
import { type MetricsLevel, readMetricsLevel } from './metrics-level.ts';

/**
 * The one Logger of a Lambda container: structured JSON, service name, Lambda context and a
 * correlation id per invocation (set by {@link withObservability}).
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** The one Metrics buffer of a Lambda container, flushed as EMF at the end of each invocation. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/**
 * The one Tracer of a Lambda container (X-Ray). It traces only where Lambda runs with active
 * tracing; elsewhere (tests, the local runner) every call is a no-op. It also records outgoing
 * HTTP(S) calls, the AWS SDK's among them, and passes the trace on with them: the schedule
 * function's Invoke of the ingest function continues one trace.
 */
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/**
 * Which metrics this container emits, from `NEWSWATCH_METRICS_LEVEL` (read once, at cold start: a
 * bad value fails the cold start with the variable's name). Call sites check it before adding a
 * metric that only the full level has.
 */
export const metricsLevel: MetricsLevel = readMetricsLevel(process.env);

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

export interface ObservabilityOptions<E> {
  /** The function's role in the pipeline (`schedule`, `ingest`, `alert`, `api`), on every log line. */
  name: string;
  /** Picks the correlation id out of the event; the Lambda request id when it returns nothing. */
  correlationId?: (event: E) => string | undefined;
}

/**
 * Wraps a handler with the project's single observability pattern: Lambda context and a
 * correlation id on every log line, a traced handler subsegment (cold start, service and
 * correlation id as X-Ray annotations, errors as metadata), a cold-start metric (at the full
 * metrics level), an error log with the detail, and the stored metrics flushed whether the
 * handler returns or throws.
 */
export function withObservability<E, R>(
  handler: LambdaHandler<E, R>,
  options: ObservabilityOptions<E>,
): LambdaHandler<E, R> {
  let coldStart = true;
  const traced = traceHandler(handler);
  return async (event, context) => {
    logger.addContext(context);
    logger.appendKeys({ function: options.name });
    logger.setCorrelationId(options.correlationId?.(event) ?? context.awsRequestId);
    if (coldStart && metricsLevel === 'full') metrics.captureColdStartMetric(context.functionName);
    coldStart = false;
    try {
      return await traced(event, context);
    } catch (error) {
      logger.error('handler failed', error as Error);
      throw error;
    } finally {
      // An invocation that stored nothing stays silent instead of logging Powertools' warning.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}

/**
 * The handler under Powertools' `captureLambdaHandler`, applied as the decorator it is to a plain
 * function. Responses stay out of the trace: they hold feed text and whole API pages.
 */
function traceHandler<E, R>(handler: LambdaHandler<E, R>): LambdaHandler<E, R> {
  const annotated: LambdaHandler<E, R> = (event, context) => {
    const correlationId = logger.getCorrelationId();
    if (typeof correlationId === 'string') tracer.putAnnotation('correlation_id', correlationId);
    return handler(event, context);
  };
  const descriptor: TypedPropertyDescriptor<LambdaHandler<E, R>> = { value: annotated };
  const capture = tracer.captureLambdaHandler({ captureResponse: false }) as (
    target: unknown,
    key: string,
    descriptor: TypedPropertyDescriptor<LambdaHandler<E, R>>,
  ) => void;
  capture(undefined, 'handler', descriptor);
  return descriptor.value as LambdaHandler<E, R>;
}

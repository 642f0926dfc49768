/**
 * The SQS message attribute that carries a sweep's correlation id from the schedule function to
 * the ingest function, so every log line of one sweep shares it.
 */
export const CORRELATION_ATTRIBUTE = 'correlationId';

import { z } from 'zod';
import { FlushDigestEventSchema } from './flush-digest-event.ts';

/**
 * The records the alert pipeline's failure queue holds, read back for a re-drive. Three kinds are
 * the alert function's; the queue may hold others (e-mails SNS could not deliver), which a
 * re-drive leaves where they are.
 */

/**
 * Lambda's on-failure record for a DynamoDB stream batch: a pointer, not the records. The
 * records themselves expire with the stream after 24 hours; the arrival times bound when the
 * batch's matches were stored.
 */
const StreamBatchRecordSchema = z.object({
  requestContext: z.object({ condition: z.string().optional() }).optional(),
  DDBStreamBatchInfo: z.object({
    shardId: z.string().min(1),
    startSequenceNumber: z.string().min(1),
    endSequenceNumber: z.string().min(1),
    approximateArrivalOfFirstRecord: z.iso.datetime({ offset: true }),
    approximateArrivalOfLastRecord: z.iso.datetime({ offset: true }),
    batchSize: z.number().int().nonnegative(),
    streamArn: z.string().optional(),
  }),
});

/** Lambda's on-failure record of an asynchronous invocation: here, a digest run that failed. */
const AsyncInvokeRecordSchema = z.object({
  requestContext: z.object({ condition: z.string().optional() }).optional(),
  requestPayload: FlushDigestEventSchema,
});

export type FailureRecord =
  | {
      kind: 'stream-batch';
      shardId: string;
      startSequenceNumber: string;
      endSequenceNumber: string;
      batchSize: number;
      /** When the batch's first and last records reached the stream (ISO 8601). */
      firstArrival: string;
      lastArrival: string;
      condition?: string;
    }
  | { kind: 'digest'; source: 'lambda' | 'scheduler'; condition?: string }
  | { kind: 'other'; reason: string };

/** What a failure-queue message body is; never throws (a body that is not JSON is 'other'). */
export function readFailureRecord(body: string): FailureRecord {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'other', reason: 'not JSON' };
  }
  const batch = StreamBatchRecordSchema.safeParse(json);
  if (batch.success) {
    const info = batch.data.DDBStreamBatchInfo;
    return {
      kind: 'stream-batch',
      shardId: info.shardId,
      startSequenceNumber: info.startSequenceNumber,
      endSequenceNumber: info.endSequenceNumber,
      batchSize: info.batchSize,
      firstArrival: new Date(info.approximateArrivalOfFirstRecord).toISOString(),
      lastArrival: new Date(info.approximateArrivalOfLastRecord).toISOString(),
      condition: batch.data.requestContext?.condition,
    };
  }
  const invoke = AsyncInvokeRecordSchema.safeParse(json);
  if (invoke.success) {
    return { kind: 'digest', source: 'lambda', condition: invoke.data.requestContext?.condition };
  }
  // The scheduler's dead-letter message is the target input itself.
  if (FlushDigestEventSchema.safeParse(json).success)
    return { kind: 'digest', source: 'scheduler' };
  return { kind: 'other', reason: 'not a stream batch or digest record of the alert function' };
}

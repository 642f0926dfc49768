import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { AlertBatchResult, AlertService } from '#shared/alerts/alert-service.ts';
import { FlushDigestEventSchema } from '#shared/alerts/flush-digest-event.ts';
import type { Match } from '#shared/store/match-schema.ts';

const StreamRecordSchema = z.object({
  eventName: z.string().optional(),
  dynamodb: z.object({
    SequenceNumber: z.string().min(1),
    NewImage: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The DynamoDB stream batch the event source mapping delivers (already filtered to new matches). */
export const AlertStreamEventSchema = z.object({ Records: z.array(StreamRecordSchema) });

export const AlertEventSchema = z.union([AlertStreamEventSchema, FlushDigestEventSchema]);
export type AlertEvent = z.infer<typeof AlertEventSchema>;

export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
export interface FlushDigestResponse {
  digestStories: number;
}

/** The event is neither a stream batch nor a digest request. */
export class AlertEventError extends Error {
  override readonly name = 'AlertEventError';
}

export interface AlertHandlerDeps {
  service: AlertService;
  decodeMatchImage: (image: Record<string, AttributeValue>) => Match | undefined;
  log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    detail: Record<string, unknown>,
  ) => void;
  /** Called with each stream batch's outcome, e.g. to emit metrics. */
  onBatch?: (result: AlertBatchResult) => void;
}

/** Milliseconds kept back from the Lambda timeout for recording results and returning. */
const TIMEOUT_MARGIN_MS = 10_000;

/**
 * The alert function's logic without its wiring: validate the event, decode new match images,
 * run the alert service, and name the records to deliver again as batch item failures.
 */
export function createAlertHandler(deps: AlertHandlerDeps) {
  const log = deps.log ?? (() => {});
  return async (
    event: unknown,
    context?: { getRemainingTimeInMillis(): number },
  ): Promise<StreamBatchResponse | FlushDigestResponse> => {
    const parsed = AlertEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new AlertEventError(`not a stream batch or digest request: ${parsed.error.message}`);
    }
    const remaining = context?.getRemainingTimeInMillis();
    const deadline =
      remaining === undefined ? undefined : Date.now() + Math.max(0, remaining - TIMEOUT_MARGIN_MS);
    if ('action' in parsed.data) {
      const digestStories = await deps.service.flushDigest({ deadline });
      log('info', 'digest flushed', { digestStories });
      return { digestStories };
    }

    const failures = new Set<string>();
    const sequencesByMatch = new Map<string, string[]>();
    const matches: Match[] = [];
    for (const record of parsed.data.Records) {
      const sequence = record.dynamodb.SequenceNumber;
      const image = record.dynamodb.NewImage as Record<string, AttributeValue> | undefined;
      if (record.eventName !== 'INSERT' || !image) continue;
      const match = deps.decodeMatchImage(image);
      if (!match) {
        // A match the codec cannot read will not improve on retry, but it must not vanish:
        // failing it sends it to the failure queue once the retries are spent.
        if (image.entity && 'S' in image.entity && image.entity.S === 'match') {
          log('error', 'unreadable match image', { sequence });
          failures.add(sequence);
        }
        continue;
      }
      const sequences = sequencesByMatch.get(match.id);
      if (sequences) {
        sequences.push(sequence);
        continue;
      }
      sequencesByMatch.set(match.id, [sequence]);
      matches.push(match);
    }

    const result = await deps.service.handleNewMatches(matches, { deadline });
    deps.onBatch?.(result);
    for (const failed of result.results.filter((entry) => entry.outcome === 'failed')) {
      log('warn', 'alert failed, record will be retried', { ...failed });
      for (const sequence of sequencesByMatch.get(failed.matchId) ?? []) failures.add(sequence);
    }
    log('info', 'stream batch alerted', {
      records: parsed.data.Records.length,
      sent: result.sent,
      digested: result.digested,
      duplicates: result.duplicates,
      failed: failures.size,
    });
    return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

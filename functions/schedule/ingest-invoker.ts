import { InvokeCommand, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { IngestEvent } from '#functions/ingest/ingest-event.ts';
import { mapBounded } from '#shared/sweep/map-bounded.ts';

/** Lambda refuses an asynchronous invocation whose payload is larger than 256 KB. */
export const MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024;

/**
 * Tries per chunk, the first included. The SDK's standard retry mode repeats throttling, 5xx and
 * network errors with jittered backoff; anything else (access denied, no such function) fails at once.
 */
export const INVOKE_ATTEMPTS = 3;

/** Lambda answers an accepted asynchronous invocation with 202. */
const ACCEPTED = 202;

export interface InvokeOptions {
  /** Invocations in flight at once. @default 4 */
  parallelism?: number;
}

/** Some chunks could not be handed over after every retry; the message counts and names the feeds. */
export class FeedHandOverError extends Error {
  override readonly name = 'FeedHandOverError';
}

/** A chunk's JSON is above the asynchronous invocation limit, so Lambda would refuse it. */
export class IngestPayloadTooLargeError extends Error {
  override readonly name = 'IngestPayloadTooLargeError';
}

/** A Lambda client that tries each invocation {@link INVOKE_ATTEMPTS} times. */
export function createIngestLambdaClient(config: LambdaClientConfig = {}): LambdaClient {
  return new LambdaClient({ maxAttempts: INVOKE_ATTEMPTS, retryMode: 'standard', ...config });
}

/** The invocation payload of one chunk; throws {@link IngestPayloadTooLargeError} above the limit. */
export function encodeIngestPayload(event: IngestEvent): Uint8Array {
  const payload = new TextEncoder().encode(JSON.stringify(event));
  if (payload.byteLength > MAX_ASYNC_PAYLOAD_BYTES) {
    throw new IngestPayloadTooLargeError(
      `a chunk of ${event.feeds.length} feed(s) is ${payload.byteLength} bytes of JSON, above the ${MAX_ASYNC_PAYLOAD_BYTES}-byte limit of an asynchronous invocation: lower ingestBatchSize or shorten the feed entries`,
    );
  }
  return payload;
}

interface Failure {
  event: IngestEvent;
  reason: string;
}

/**
 * Invokes the ingest function asynchronously once per chunk (payload: the chunk event), a bounded
 * number at once, each retried by the client on throttling and 5xx. Resolves to the feeds handed
 * over; throws {@link FeedHandOverError} only after every other chunk was handed over.
 */
export async function invokeIngest(
  client: Pick<LambdaClient, 'send'>,
  functionName: string,
  events: readonly IngestEvent[],
  options: InvokeOptions = {},
): Promise<number> {
  const failures = (
    await mapBounded(events, options.parallelism ?? 4, (event) =>
      invokeOnce(client, functionName, event),
    )
  ).filter((failure): failure is Failure => failure !== undefined);
  const total = events.reduce((sum, event) => sum + event.feeds.length, 0);
  if (failures.length > 0) {
    const lost = failures.flatMap(({ event }) => event.feeds);
    throw new FeedHandOverError(
      `${lost.length} of ${total} feed(s) were not handed over to ingest (${failures.length} of ${events.length} chunk(s) failed: ${failures[0]?.reason}): ${lost.map((feed) => feed.url).join(', ')}`,
    );
  }
  return total;
}

/** One chunk's invocation; returns why it failed, or nothing once Lambda accepted it. */
async function invokeOnce(
  client: Pick<LambdaClient, 'send'>,
  functionName: string,
  event: IngestEvent,
): Promise<Failure | undefined> {
  try {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: encodeIngestPayload(event),
      }),
    );
    if (response.StatusCode === ACCEPTED) return undefined;
    return { event, reason: `Lambda answered ${response.StatusCode}, not ${ACCEPTED} (accepted)` };
  } catch (error) {
    const { name, message } = error as Error;
    return { event, reason: message.startsWith(name) ? message : `${name}: ${message}` };
  }
}

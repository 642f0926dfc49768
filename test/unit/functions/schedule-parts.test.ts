import { InvokeCommand, type InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { type IngestEvent, parseIngestEvent } from '#functions/ingest/ingest-event.ts';
import { chunkFeeds } from '#functions/schedule/chunk-feeds.ts';
import {
  createIngestLambdaClient,
  encodeIngestPayload,
  FeedHandOverError,
  IngestPayloadTooLargeError,
  invokeIngest,
  MAX_ASYNC_PAYLOAD_BYTES,
} from '#functions/schedule/ingest-invoker.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';

const FUNCTION_NAME = 'newswatch-ingest';
const lambda = mockClient(LambdaClient);

function feeds(count: number, prefix = 'feed'): FeedSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    url: `https://example.com/${prefix}-${index}.xml`,
    tags: [],
  }));
}

function events(sizes: number[]): IngestEvent[] {
  return sizes.map((size, index) => ({
    feeds: feeds(size, `chunk${index}`),
    correlationId: 'tick-1',
  }));
}

/** The chunk event an invocation carried, read back as the ingest function reads it. */
function payloadOf(input: InvokeCommandInput): IngestEvent {
  return parseIngestEvent(
    JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)),
    'payload',
  );
}

function invokedEvents(): IngestEvent[] {
  return lambda.commandCalls(InvokeCommand).map((call) => payloadOf(call.args[0].input));
}

/** A chunk whose JSON is above the asynchronous invocation limit: 50 feeds with long URLs. */
function oversizedEvent(): IngestEvent {
  const padding = 'a'.repeat(Math.ceil(MAX_ASYNC_PAYLOAD_BYTES / 50));
  return {
    feeds: Array.from({ length: 50 }, (_, index) => ({
      url: `https://example.com/huge-${index}.xml?pad=${padding}`,
      tags: [],
    })),
    correlationId: 'tick-1',
  };
}

describe('chunkFeeds', () => {
  it('cuts a small tick into chunks of the batch size', () => {
    const chunks = chunkFeeds(feeds(20), { batchSize: 10, maxChunks: 10 });
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10]);
  });

  it('balances the chunks so their sizes differ by at most one', () => {
    const chunks = chunkFeeds(feeds(23), { batchSize: 10, maxChunks: 10 });
    expect(chunks.map((chunk) => chunk.length)).toEqual([8, 8, 7]);
  });

  it('grows the chunks so a large tick needs no more than maxChunks invocations', () => {
    const chunks = chunkFeeds(feeds(200), { batchSize: 10, maxChunks: 10 });
    expect(chunks).toHaveLength(10);
    expect(chunks.every((chunk) => chunk.length === 20)).toBe(true);
  });

  it('never builds a chunk larger than 50 feeds, even if that exceeds maxChunks', () => {
    const chunks = chunkFeeds(feeds(1000), { batchSize: 10, maxChunks: 10 });
    expect(chunks).toHaveLength(20);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBe(50);
  });

  it('keeps every feed exactly once and in order', () => {
    const input = feeds(37);
    expect(chunkFeeds(input, { batchSize: 5, maxChunks: 4 }).flat()).toEqual(input);
  });

  it('builds no chunk when no feed is due', () => {
    expect(chunkFeeds([], { batchSize: 10, maxChunks: 10 })).toEqual([]);
  });
});

describe('invokeIngest', () => {
  beforeEach(() => {
    lambda.reset();
  });

  it('invokes the ingest function asynchronously once per chunk, with the chunk event as payload', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const sent = events([3, 3, 2]);
    await invokeIngest(new LambdaClient({}), FUNCTION_NAME, sent);
    const inputs = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);
    expect(
      inputs.map(({ FunctionName, InvocationType }) => ({ FunctionName, InvocationType })),
    ).toEqual(Array(3).fill({ FunctionName: FUNCTION_NAME, InvocationType: 'Event' }));
    expect(invokedEvents()).toEqual(sent);
  });

  it('returns the number of feeds handed over', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    expect(await invokeIngest(new LambdaClient({}), FUNCTION_NAME, events([4, 4, 3]))).toBe(11);
  });

  it('keeps at most four invocations in flight', async () => {
    let inFlight = 0;
    let most = 0;
    lambda.on(InvokeCommand).callsFake(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { StatusCode: 202 };
    });
    await invokeIngest(new LambdaClient({}), FUNCTION_NAME, events(Array(10).fill(1)));
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(10);
    expect(most).toBe(4);
  });

  it('hands over every other chunk and then throws, counting and naming the feeds not handed over', async () => {
    lambda.on(InvokeCommand).callsFake((input: InvokeCommandInput) => {
      if (payloadOf(input).feeds[0]?.url.includes('chunk1-')) {
        throw Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' });
      }
      return { StatusCode: 202 };
    });
    const invoking = invokeIngest(new LambdaClient({}), FUNCTION_NAME, events([2, 3, 2]));
    await expect(invoking).rejects.toThrow(FeedHandOverError);
    await expect(invoking).rejects.toThrow(
      /^3 of 7 feed\(s\) were not handed over to ingest \(1 of 3 chunk\(s\) failed: TooManyRequestsException: Rate Exceeded\.\): https:\/\/example\.com\/chunk1-0\.xml, .*chunk1-2\.xml$/,
    );
    expect(invokedEvents().map((event) => event.feeds[0]?.url)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('chunk0-'),
        expect.stringContaining('chunk2-'),
      ]),
    );
  });

  it('counts a chunk Lambda answered without 202 as not handed over', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    await expect(invokeIngest(new LambdaClient({}), FUNCTION_NAME, events([2]))).rejects.toThrow(
      /^2 of 2 feed\(s\).*Lambda answered 200, not 202/,
    );
  });

  it('refuses a chunk above the asynchronous payload limit without invoking it, and hands over the others', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const [small] = events([2]);
    const invoking = invokeIngest(new LambdaClient({}), FUNCTION_NAME, [
      small as IngestEvent,
      oversizedEvent(),
    ]);
    await expect(invoking).rejects.toThrow(
      /^50 of 52 feed\(s\) were not handed over .*IngestPayloadTooLargeError: a chunk of 50 feed\(s\) is \d+ bytes of JSON, above the 262144-byte limit/,
    );
    expect(invokedEvents()).toEqual([small]);
  });

  it('invokes nothing when no feed is due', async () => {
    expect(await invokeIngest(new LambdaClient({}), FUNCTION_NAME, [])).toBe(0);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});

describe('encodeIngestPayload', () => {
  it('encodes a chunk of 50 feeds far below the limit', () => {
    const [largest] = events([50]);
    expect(encodeIngestPayload(largest as IngestEvent).byteLength).toBeLessThan(
      MAX_ASYNC_PAYLOAD_BYTES / 20,
    );
  });

  it('throws an IngestPayloadTooLargeError above 256 KB', () => {
    expect(() => encodeIngestPayload(oversizedEvent())).toThrow(IngestPayloadTooLargeError);
  });
});

describe('createIngestLambdaClient', () => {
  it('tries each invocation three times', async () => {
    expect(await createIngestLambdaClient({ region: 'us-east-1' }).config.maxAttempts()).toBe(3);
  });
});

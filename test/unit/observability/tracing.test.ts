import { createSocket, type Socket } from 'node:dgram';
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Observability from '#shared/observability/observability.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

/** What the X-Ray SDK sends the daemon: a header line, then the segment document. */
interface SegmentDocument {
  id: string;
  name: string;
  namespace?: string;
  type?: string;
  trace_id: string;
  parent_id?: string;
  annotations?: Record<string, unknown>;
  fault?: boolean;
  cause?: { exceptions?: { message: string }[] };
}

const TRACE_ID = '1-67a0b1c2-0123456789abcdef01234567';
const PARENT_ID = '53995c3f42cd8ad8';

let daemon: Socket;
let documents: SegmentDocument[];
let upstream: Server;
let traceHeaders: (string | undefined)[];
let observability: typeof Observability;

/** Waits until the daemon stand-in has received `count` documents. */
async function received(count: number): Promise<SegmentDocument[]> {
  await vi.waitFor(() => expect(documents.length).toBeGreaterThanOrEqual(count), {
    timeout: 2000,
  });
  return documents.splice(0, documents.length);
}

beforeAll(async () => {
  documents = [];
  daemon = createSocket('udp4');
  daemon.on('message', (packet) => {
    const [, body] = packet.toString().split('\n');
    documents.push(JSON.parse(body ?? '{}') as SegmentDocument);
  });
  await new Promise<void>((done) => daemon.bind(0, '127.0.0.1', done));
  traceHeaders = [];
  upstream = createServer((req, res) => {
    traceHeaders.push(req.headers['x-amzn-trace-id'] as string | undefined);
    res.end('{}');
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));

  // As Lambda runs a function with active tracing: the facade segment's id comes in the
  // environment, and the daemon address is where the SDK sends what it records.
  vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', `127.0.0.1:${(daemon.address() as AddressInfo).port}`);
  vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('LAMBDA_TASK_ROOT', '/var/task');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'newswatch-test');
  vi.stubEnv('_HANDLER', 'index.handler');
  vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=1`);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.resetModules();
  observability = await import('#shared/observability/observability.ts');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  vi.resetModules();
  daemon?.close();
  await new Promise((done) => upstream?.close(done));
});

function get(url: string): Promise<void> {
  return new Promise((done, fail) => {
    // Looked up at call time, as the AWS SDK's HTTP handler does, so the tracer's patch applies.
    http
      .request(url, (res) => {
        res.resume();
        res.on('end', done);
      })
      .on('error', fail)
      .end();
  });
}

describe('withObservability under X-Ray active tracing', () => {
  it('records the handler as a subsegment of the invocation, annotated to find one sweep by', async () => {
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/invoke`;
    const handler = observability.withObservability(
      async (event: { correlationId: string }) => {
        await get(url);
        return { secretFeedText: 'not for the trace', id: event.correlationId };
      },
      { name: 'ingest', correlationId: (event) => event.correlationId },
    );

    await handler({ correlationId: 'tick-41' }, lambdaContext('newswatch-test'));
    await handler({ correlationId: 'tick-42' }, lambdaContext('newswatch-test'));

    // Lambda's SDK streams each subsegment as it closes: two invocations, two calls.
    const sent = await received(4);
    const [first, second] = sent.filter((doc) => doc.name === '## index.handler');
    expect(first).toMatchObject({
      type: 'subsegment',
      trace_id: TRACE_ID,
      parent_id: PARENT_ID,
      annotations: { ColdStart: true, Service: 'newswatch', correlation_id: 'tick-41' },
    });
    expect(second?.annotations).toMatchObject({ ColdStart: false, correlation_id: 'tick-42' });
    expect(JSON.stringify(sent)).not.toContain('secretFeedText');
    // The outgoing call (the AWS SDK's are HTTP calls like it) is a subsegment of the handler's,
    // and the trace travels with it: what the call starts, e.g. an invoked function, continues it.
    const calls = sent.filter((doc) => doc.namespace === 'remote');
    expect(calls.map((call) => [call.name, call.parent_id])).toEqual([
      ['127.0.0.1', first?.id],
      ['127.0.0.1', second?.id],
    ]);
    expect(traceHeaders[0]).toContain(`Root=${TRACE_ID}`);
  });

  it('marks the subsegment faulted with the error, and still rethrows it', async () => {
    const handler = observability.withObservability(
      async () => {
        throw new Error('store unusable');
      },
      { name: 'alert' },
    );

    await expect(handler({}, lambdaContext('newswatch-test'))).rejects.toThrow('store unusable');

    const [doc] = await received(1);
    expect(doc?.name).toBe('## index.handler');
    expect(doc?.fault).toBe(true);
    expect(doc?.cause?.exceptions?.[0]?.message).toBe('store unusable');
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEvent } from '#functions/ingest/ingest-event.ts';
import { createIngestLambdaClient, invokeIngest } from '#functions/schedule/ingest-invoker.ts';

// The SDK's retries run in its middleware, which a mocked client skips: these tests talk to a
// local HTTP server that answers like the Lambda Invoke API.

interface Answer {
  status: number;
  errorType?: string;
}

const received: { path: string; invocationType: string | undefined; body: string }[] = [];
let answers: Answer[] = [];
let server: Server;
let endpoint: string;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function client() {
  return createIngestLambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

const CHUNK: IngestEvent = {
  feeds: [{ url: 'https://example.com/a.xml', tags: [] }],
  correlationId: 'tick-7',
};

beforeAll(async () => {
  server = createServer(async (request, response) => {
    received.push({
      path: request.url ?? '',
      invocationType: request.headers['x-amz-invocation-type'] as string | undefined,
      body: await readBody(request),
    });
    // The last answer repeats once the list is used up.
    const answer = answers.length > 1 ? (answers.shift() as Answer) : (answers[0] as Answer);
    if (answer.errorType === undefined) {
      response.writeHead(answer.status).end();
      return;
    }
    response
      .writeHead(answer.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': answer.errorType,
      })
      .end(
        JSON.stringify({
          Type: 'Service',
          message: 'Rate exceeded or internal failure (test server)',
        }),
      );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

beforeEach(() => {
  received.length = 0;
});

describe('invokeIngest against the Lambda Invoke API', () => {
  it('posts the chunk to the function as an Event invocation', async () => {
    answers = [{ status: 202 }];
    expect(await invokeIngest(client(), 'newswatch-ingest', [CHUNK])).toBe(1);
    expect(received).toEqual([
      {
        path: '/2015-03-31/functions/newswatch-ingest/invocations',
        invocationType: 'Event',
        body: JSON.stringify(CHUNK),
      },
    ]);
  });

  it('tries a throttled invocation again until Lambda accepts it', async () => {
    answers = [{ status: 429, errorType: 'TooManyRequestsException' }, { status: 202 }];
    expect(await invokeIngest(client(), 'newswatch-ingest', [CHUNK])).toBe(1);
    expect(received).toHaveLength(2);
  });

  it('gives up after three tries of a failing service and names the feed', async () => {
    answers = [{ status: 500, errorType: 'ServiceException' }];
    await expect(invokeIngest(client(), 'newswatch-ingest', [CHUNK])).rejects.toThrow(
      /^1 of 1 feed\(s\) were not handed over to ingest \(1 of 1 chunk\(s\) failed: ServiceException: .*\): https:\/\/example\.com\/a\.xml$/,
    );
    expect(received).toHaveLength(3);
  });

  it('does not try a refused invocation again', async () => {
    answers = [{ status: 403, errorType: 'AccessDeniedException' }];
    await expect(invokeIngest(client(), 'newswatch-ingest', [CHUNK])).rejects.toThrow(
      /AccessDeniedException/,
    );
    expect(received).toHaveLength(1);
  });
});

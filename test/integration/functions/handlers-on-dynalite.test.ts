import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ingestChunk, StoreFailureError } from '#functions/ingest/ingest-chunk.ts';
import { type IngestEvent, parseIngestEvent } from '#functions/ingest/ingest-event.ts';
import { PROJECT_ROOT } from '#infra/project-root.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { feedIdFor } from '#shared/feeds/feed-id.ts';
import { createFeedListService } from '#shared/feeds/feed-list-service.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import { stateOf } from '../../fixtures/store/feed-state-helpers.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

const TABLE = 'newswatch-handlers';
// The deployed ingest function refuses private addresses, so this feed fails at the guard.
const PRIVATE_FEED = 'http://127.0.0.1:9/feed.xml';

let dynamo: EmbeddedDynamoDb;
const savedEnv = { ...process.env };

/** The event the schedule function invokes ingest with: one chunk of feeds. */
function chunk(...urls: string[]): IngestEvent {
  return parseIngestEvent(
    { feeds: urls.map((url) => ({ url })), correlationId: 'sweep-1' },
    'test',
  );
}

/** Imports a fresh copy of a handler module, so it reads the environment set for this test. */
async function importHandler<T>(path: string, env: Record<string, string>): Promise<T> {
  vi.resetModules();
  Object.assign(process.env, env);
  return (await import(path)) as T;
}

/** A fresh table: the schedule seeds the feed list of a store that never held one. */
async function freshTable(name: string): Promise<string> {
  await ensureTable(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: dynamo.credentials,
    }),
    name,
  );
  return name;
}

/** A feed list file of these URLs, in a folder of its own. */
function feedListFile(urls: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'newswatch-feeds-')), 'feeds.json');
  writeFileSync(file, JSON.stringify({ feeds: urls.map((url) => ({ url })) }));
  return file;
}

beforeAll(async () => {
  dynamo = await startEmbeddedDynamoDb();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: dynamo.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  await ensureTable(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: dynamo.credentials,
    }),
    TABLE,
  );
});

afterAll(async () => {
  process.env = savedEnv;
  await dynamo?.close();
});

type IngestModule = typeof import('#functions/ingest/handler.ts');
type ScheduleModule = typeof import('#functions/schedule/handler.ts');

describe('ingest handler', () => {
  const ingestEnv = { TABLE_NAME: TABLE, SEEDS_DIR: resolve(PROJECT_ROOT, 'seeds') };

  it('records a failing feed of a chunk in its feed state and completes the invocation', async () => {
    const { handler } = await importHandler<IngestModule>(
      '#functions/ingest/handler.ts',
      ingestEnv,
    );
    const summary = await handler(chunk(PRIVATE_FEED), lambdaContext('ingest'));
    expect(summary).toMatchObject({ feeds: 1, failed: 1 });
    const store = createDynamoStore({
      endpoint: dynamo.endpoint,
      credentials: dynamo.credentials,
      tableName: TABLE,
    });
    const state = await stateOf(store, feedIdFor(PRIVATE_FEED));
    expect(state?.consecutiveFailures).toBe(1);
    expect(state?.lastErrorCode).toBeDefined();
  });

  it('fails an event that is not a chunk of feeds, naming the field at fault, so Lambda retries it', async () => {
    const { handler } = await importHandler<IngestModule>(
      '#functions/ingest/handler.ts',
      ingestEnv,
    );
    const invoking = handler(
      { feeds: [{ url: 'ftp://example.com/feed' }], correlationId: 'sweep-1' },
      lambdaContext('ingest', 'bad-1'),
    );
    await expect(invoking).rejects.toMatchObject({ name: 'InvalidIngestEventError' });
    await expect(invoking).rejects.toThrow(
      /^ingest request bad-1: not an ingest event: feeds\.0\.url: must be an http or https URL/,
    );
  });

  it('fails the chunk with a StoreFailureError before polling when the store is down, so Lambda retries it', async () => {
    const { handler } = await importHandler<IngestModule>('#functions/ingest/handler.ts', {
      ...ingestEnv,
      TABLE_NAME: 'no-such-table',
    });
    const invoking = handler(
      chunk(PRIVATE_FEED, 'http://127.0.0.1:9/other.xml'),
      lambdaContext('ingest'),
    );
    // A fresh module copy: its error class is not the one imported above, so compare the name.
    await expect(invoking).rejects.toMatchObject({ name: 'StoreFailureError' });
    await expect(invoking).rejects.toThrow(/^the profile in use could not be read/);
  });

  it('scores with the overlay version in use, seeding version 1 from the bundled seeds', async () => {
    const { handler } = await importHandler<IngestModule>(
      '#functions/ingest/handler.ts',
      ingestEnv,
    );
    await handler(chunk(PRIVATE_FEED), lambdaContext('ingest'));
    const store = createDynamoStore({
      endpoint: dynamo.endpoint,
      credentials: dynamo.credentials,
      tableName: TABLE,
    });
    expect(await store.profiles.profileInUse()).toMatchObject({ number: 1, by: 'seeds' });
    const [shipped] = await store.profiles.listProfileVersions();
    expect(shipped?.profileVersion).toMatch(/^scorer-\d+-[0-9a-f]{12}$/);
  });

  it('fails the cold start naming the missing variable', async () => {
    delete process.env.SEEDS_DIR;
    await expect(
      importHandler<IngestModule>('#functions/ingest/handler.ts', { TABLE_NAME: TABLE }),
    ).rejects.toThrow(/SEEDS_DIR/);
  });
});

describe('ingestChunk', () => {
  const worldXml = readFileSync(resolve(PROJECT_ROOT, 'test/fixtures/sweep/world.xml'));
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (new URL(request.url ?? '/', base).pathname === '/world.xml') {
        response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(worldXml);
      } else response.writeHead(404).end('not found');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  async function deps(tableName: string) {
    const store = createDynamoStore({
      endpoint: dynamo.endpoint,
      credentials: dynamo.credentials,
      tableName,
    });
    const warnings: string[] = [];
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'newswatch' });
    return {
      warnings,
      metrics,
      chunkDeps: {
        store,
        poller: createFeedPoller({
          allowPrivateNetwork: true,
          timeoutMs: 5000,
          maxBodyBytes: 1024 * 1024,
          perHostConcurrency: 2,
        }),
        scorer: createScorer(await loadProfile(resolve(PROJECT_ROOT, 'seeds'))),
        stories: createStoryAssigner(store),
        metrics,
        metricsLevel: 'full' as const,
        log: { debug: () => undefined, warn: (message: string) => warnings.push(message) },
      },
    };
  }

  it('ingests every feed of the chunk and records each one as it finishes', async () => {
    const { chunkDeps, metrics, warnings } = await deps(TABLE);
    const event = chunk(`${base}/world.xml`, `${base}/gone.xml`);
    const summary = await ingestChunk(event, chunkDeps);
    expect(summary).toMatchObject({ feeds: 2, polled: 2, failed: 1, items: 3 });
    const emitted = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emitted.FeedsPolled).toEqual([1, 1]);
    expect(warnings).toEqual(['feed failed']);
    const store = createDynamoStore({
      endpoint: dynamo.endpoint,
      credentials: dynamo.credentials,
      tableName: TABLE,
    });
    expect((await stateOf(store, feedIdFor(`${base}/world.xml`)))?.lastSuccessAt).toBeDefined();
  });

  it('throws a StoreFailureError naming every feed it could not store, after trying them all', async () => {
    const { chunkDeps } = await deps('no-such-table');
    const urls = [`${base}/world.xml`, `${base}/other.xml`];
    const ingesting = ingestChunk(chunk(...urls), chunkDeps);
    await expect(ingesting).rejects.toThrow(StoreFailureError);
    await expect(ingesting).rejects.toThrow(
      /^2 of 2 feed\(s\) could not be stored, the chunk will be retried: .*world\.xml.*other\.xml/,
    );
  });
  it('names only the feeds whose writes failed, counting each feed once in the metrics', async () => {
    const { chunkDeps, metrics } = await deps(TABLE);
    // The real store, refusing the feed-state writes runSweep makes after the polls: the fetched
    // feed turns into a store failure, the feed that failed its fetch stays an HTTP failure.
    const store = Object.assign(Object.create(chunkDeps.store), {
      putFeedStates: () => Promise.reject(new Error('state write throttled')),
    }) as typeof chunkDeps.store;
    // Feeds this table has not seen yet, so both are polled and both states need writing.
    const urls = [`${base}/world.xml?copy=1`, `${base}/gone.xml?copy=1`];
    const event = chunk(...urls);
    await expect(ingestChunk(event, { ...chunkDeps, store })).rejects.toThrow(
      /^1 of 2 feed\(s\) could not be stored, the chunk will be retried: http:\/\/127\.0\.0\.1:\d+\/world\.xml\?copy=1 \(first error: STORE: .*state write throttled\)$/,
    );
    const emitted = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emitted.FeedsPolled).toEqual([1, 1]);
  });
});

describe('schedule handler', () => {
  const lambda = mockClient(LambdaClient);
  const scheduleEnv = {
    TABLE_NAME: TABLE,
    FEEDS_FILE: 'feeds.json',
    INGEST_FUNCTION_NAME: 'newswatch-ingest',
    INTERVAL_MINUTES: '15',
  };

  beforeEach(() => {
    lambda.reset();
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  });

  it('invokes ingest asynchronously once per chunk of the due feeds, with the request id as correlation id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-feeds-'));
    const feedsFile = join(dir, 'feeds.json');
    const feeds = Array.from({ length: 12 }, (_, index) => ({
      url: `https://example.com/schedule-${index}.xml`,
    }));
    writeFileSync(feedsFile, JSON.stringify({ feeds }));
    const { handler } = await importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
      ...scheduleEnv,
      TABLE_NAME: await freshTable('newswatch-schedule-chunks'),
      FEEDS_FILE: feedsFile,
      INGEST_BATCH_SIZE: '5',
      MAX_CONCURRENT_INGESTS: '2',
    });
    const result = await handler({}, lambdaContext('schedule', 'tick-42'));
    expect(result).toEqual({ feeds: 12, queued: 12, chunks: 2 });
    const inputs = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);
    expect(inputs.every((input) => input.FunctionName === 'newswatch-ingest')).toBe(true);
    expect(inputs.every((input) => input.InvocationType === 'Event')).toBe(true);
    const events = inputs.map((input) =>
      parseIngestEvent(
        JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)),
        'payload',
      ),
    );
    // Two invocations at most: the chunks grow from 5 to 6 feeds.
    expect(events.map((event) => event.feeds.length)).toEqual([6, 6]);
    // The stored list is ordered by name (here the URL), not by the seeding file.
    expect(events.flatMap((event) => event.feeds.map((feed) => feed.url))).toEqual(
      feeds.map((feed) => feed.url).sort(),
    );
    expect(events.every((event) => event.correlationId === 'tick-42')).toBe(true);
  });

  it('fails the tick naming the feeds of a chunk Lambda refused, after invoking the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-feeds-'));
    const feedsFile = join(dir, 'feeds.json');
    const feeds = Array.from({ length: 6 }, (_, index) => ({
      url: `https://example.com/refused-${index}.xml`,
    }));
    writeFileSync(feedsFile, JSON.stringify({ feeds }));
    lambda
      .on(InvokeCommand)
      .rejectsOnce(Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' }))
      .resolves({ StatusCode: 202 });
    const { handler } = await importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
      ...scheduleEnv,
      TABLE_NAME: await freshTable('newswatch-schedule-refused'),
      FEEDS_FILE: feedsFile,
      INGEST_BATCH_SIZE: '2',
      MAX_CONCURRENT_INGESTS: '10',
    });
    await expect(handler({}, lambdaContext('schedule', 'tick-43'))).rejects.toThrow(
      /^2 of 6 feed\(s\) were not handed over to ingest \(1 of 3 chunk\(s\) failed: TooManyRequestsException: Rate Exceeded\.\): .*refused-0\.xml, .*refused-1\.xml$/,
    );
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(3);
  });

  it('reads the feed list from the store each tick: the bundled file only seeds a fresh store', async () => {
    const table = await freshTable('newswatch-schedule-list');
    const seeded = ['https://example.com/seed-a.xml', 'https://example.com/seed-b.xml'];
    const { handler } = await importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
      ...scheduleEnv,
      TABLE_NAME: table,
      FEEDS_FILE: feedListFile(seeded),
      INGEST_BATCH_SIZE: '10',
      MAX_CONCURRENT_INGESTS: '2',
    });
    const queued = (): string[] =>
      lambda
        .commandCalls(InvokeCommand)
        .flatMap((call) =>
          parseIngestEvent(
            JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)),
            'payload',
          ).feeds.map((feed) => feed.url),
        );

    await handler({}, lambdaContext('schedule', 'tick-1'));
    expect(queued()).toEqual(seeded);

    // Between ticks a user edits the list (as the API does); no feed was polled, all are due.
    const store = createDynamoStore({
      endpoint: dynamo.endpoint,
      credentials: dynamo.credentials,
      tableName: table,
    });
    const feeds = createFeedListService({
      store,
      seed: async () => [],
      allowPrivateNetwork: false,
      resolveHost: async () => [{ address: '93.184.215.14', family: 4 }],
    });
    await feeds.add({ url: 'https://example.org/added.xml' });
    await feeds.remove('https://example.com/seed-a.xml');
    lambda.resetHistory();
    await handler({}, lambdaContext('schedule', 'tick-2'));
    expect(queued().sort()).toEqual([
      'https://example.com/seed-b.xml',
      'https://example.org/added.xml',
    ]);

    // A user who removed every feed keeps an empty list: the file does not come back.
    await feeds.remove('https://example.com/seed-b.xml');
    await feeds.remove('https://example.org/added.xml');
    lambda.resetHistory();
    expect(await handler({}, lambdaContext('schedule', 'tick-3'))).toEqual({
      feeds: 0,
      queued: 0,
      chunks: 0,
    });
  });

  it('fails the cold start naming a bad variable', async () => {
    await expect(
      importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
        ...scheduleEnv,
        INTERVAL_MINUTES: 'often',
      }),
    ).rejects.toThrow(/INTERVAL_MINUTES/);
  });

  it('fails the cold start naming a chunk size outside 1-50', async () => {
    await expect(
      importHandler<ScheduleModule>('#functions/schedule/handler.ts', {
        ...scheduleEnv,
        INGEST_BATCH_SIZE: '51',
      }),
    ).rejects.toThrow(/INGEST_BATCH_SIZE/);
  });
});

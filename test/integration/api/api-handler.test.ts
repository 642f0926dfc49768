import { resolve } from 'node:path';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFunction, createApiFunction } from '#functions/api/api-function.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { openTestTable, type TestTable } from '../support/dynamo-table.ts';
import { expectedIds, matchSet, storeMatches } from './api-fixtures.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const APP_ORIGIN = 'https://app.example.org';

let table: TestTable;
let closeTable: (() => Promise<void>) | undefined;
let matches: Match[];
let api: ApiFunction;

function environment(tableName: string): Record<string, string> {
  return {
    TABLE_NAME: tableName,
    SEEDS_DIR: resolve(REPO_ROOT, 'seeds'),
    FEEDS_FILE: resolve(REPO_ROOT, 'seeds/feeds.json'),
    CORS_ORIGINS: APP_ORIGIN,
  };
}

/** An API Gateway REST (v1 proxy) event as the gateway sends it for a signed GET. */
function gatewayEvent(
  path: string,
  query: Record<string, string[]> = {},
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
  } = {},
): APIGatewayProxyEvent {
  const names = Object.keys(query);
  return {
    httpMethod: options.method ?? 'GET',
    path,
    resource: '/{proxy+}',
    pathParameters: { proxy: path.slice(1) },
    headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com', ...options.headers },
    multiValueHeaders: {},
    queryStringParameters: names.length
      ? Object.fromEntries(names.map((name) => [name, query[name]?.at(-1) as string]))
      : null,
    multiValueQueryStringParameters: names.length ? query : null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      requestId: `gw-${Math.random().toString(36).slice(2)}`,
      stage: 'v1',
      httpMethod: options.method ?? 'GET',
      path: `/v1${path}`,
      identity: { userArn: 'arn:aws:iam::123456789012:user/reader' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

const context = { awsRequestId: 'lambda-request-1' };

async function invoke(event: APIGatewayProxyEvent) {
  const result = await api(event, context);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
}

beforeAll(async () => {
  ({ table, close: closeTable } = await openTestTable('api-fn'));
  matches = matchSet(40);
  await storeMatches(table.store(), matches);
  api = await createApiFunction(environment(table.tableName), {
    dynamoEndpoint: table.endpoint,
  });
});

afterAll(async () => {
  await closeTable?.();
});

describe('the api function behind API Gateway', () => {
  it('lists matches newest first and pages through them with the cursor it returns', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await invoke(
        gatewayEvent('/matches', { limit: ['9'], ...(cursor ? { cursor: [cursor] } : {}) }),
      );
      expect(page.statusCode).toBe(200);
      ids.push(...page.json.items.map((item: { id: string }) => item.id));
      cursor = page.json.nextCursor;
    } while (cursor);

    expect(ids).toEqual(expectedIds(matches, () => true));
  });

  it('applies the filters of the query string', async () => {
    const page = await invoke(
      gatewayEvent('/matches', { facet: ['energy'], minScore: ['0.8'], limit: ['100'] }),
    );

    expect(page.json.items.map((item: { id: string }) => item.id)).toEqual(
      expectedIds(matches, (match) => match.facets.includes('energy') && match.score >= 0.8),
    );
  });

  it('returns one match with its explanation', async () => {
    const result = await invoke(gatewayEvent('/matches/match-00003'));

    expect(result.statusCode).toBe(200);
    expect(result.json.explanation).toEqual(matches[3]?.explanation);
  });

  it('serves the profile derived from the bundled seeds, with its version', async () => {
    const result = await invoke(gatewayEvent('/profile'));

    expect(result.statusCode).toBe(200);
    expect(result.json.version).toEqual(expect.any(String));
  });

  it('adds a profile overlay version from a signed POST, recording the signer, and serves it', async () => {
    const event = {
      ...gatewayEvent(
        '/profile/versions',
        {},
        { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      ),
      body: JSON.stringify({ overlay: { thresholds: { match: 0.5 } }, note: 'via the gateway' }),
    };
    const created = await invoke(event);
    const profile = await invoke(gatewayEvent('/profile'));

    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({
      number: 2,
      createdBy: 'arn:aws:iam::123456789012:user/reader',
      note: 'via the gateway',
    });
    expect(profile.json).toMatchObject({ overlayVersion: 2, thresholds: { match: 0.5 } });
    const back = await invoke({
      ...gatewayEvent(
        '/profile/in-use',
        {},
        { method: 'PUT', headers: { 'Content-Type': 'application/json' } },
      ),
      body: JSON.stringify({ version: 1 }),
    });
    expect(back.statusCode).toBe(200);
    expect((await invoke(gatewayEvent('/profile'))).json.overlayVersion).toBe(1);
  });

  it('answers a repeated parameter with a 400 problem naming it', async () => {
    const result = await invoke(gatewayEvent('/matches', { facet: ['trade', 'energy'] }));

    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(result.json.errors).toEqual([expect.objectContaining({ parameter: 'facet' })]);
  });

  it('answers a cursor whose signature does not match with a 400 problem naming the cursor', async () => {
    const first = await invoke(gatewayEvent('/matches', { limit: ['5'] }));
    const [payload, signature] = (first.json.nextCursor as string).split('.');
    expect(signature, 'cursors are signed with the deployment key').toBeDefined();
    const tampered = `${payload}.${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;

    const result = await invoke(gatewayEvent('/matches', { limit: ['5'], cursor: [tampered] }));

    expect(result.statusCode).toBe(400);
    expect(result.json.errors[0].parameter).toBe('cursor');
  });

  it('answers an unknown match with 404 and the gateway request id', async () => {
    const event = gatewayEvent('/matches/unknown');

    const result = await invoke(event);

    expect(result.statusCode).toBe(404);
    expect(result.json.requestId).toBe(event.requestContext.requestId);
    expect(result.headers?.['x-request-id']).toBe(event.requestContext.requestId);
  });

  it('answers a method a path does not take with 405 and Allow', async () => {
    const result = await invoke(gatewayEvent('/feeds', {}, { method: 'PUT' }));

    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('lists the bundled feed list, seeded into a store that held none', async () => {
    const result = await invoke(gatewayEvent('/feeds'));

    expect(result.statusCode).toBe(200);
    expect(result.json.items).toHaveLength(35);
    expect(result.json.items[0]).toMatchObject({ name: 'Al Jazeera', status: 'new' });
  });

  it('adds a feed from a JSON body (base64 as the gateway may pass it) and removes it by id', async () => {
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify({ url: 'https://feeds.example.org/world.xml', tags: ['test'] });
    const added = await invoke(
      gatewayEvent(
        '/feeds',
        {},
        {
          method: 'POST',
          headers: json,
          body: Buffer.from(body).toString('base64'),
          isBase64Encoded: true,
        },
      ),
    );
    expect(added.statusCode).toBe(201);
    expect(added.json).toMatchObject({
      url: 'https://feeds.example.org/world.xml',
      tags: ['test'],
    });

    const again = await invoke(gatewayEvent('/feeds', {}, { method: 'POST', headers: json, body }));
    expect(again.statusCode).toBe(409);

    const path = `/feeds/${added.json.feedId}`;
    expect((await invoke(gatewayEvent(path, {}, { method: 'DELETE' }))).statusCode).toBe(204);
    expect((await invoke(gatewayEvent(path, {}, { method: 'DELETE' }))).statusCode).toBe(404);
    const listed = await invoke(gatewayEvent('/feeds'));
    expect(listed.json.items.map((item: { url: string }) => item.url)).not.toContain(
      'https://feeds.example.org/world.xml',
    );
  });

  it('refuses a feed on a private address, naming the body field', async () => {
    const result = await invoke(
      gatewayEvent(
        '/feeds',
        {},
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ url: 'http://169.254.169.254/latest/meta-data' }),
        },
      ),
    );

    expect(result.statusCode).toBe(400);
    expect(result.json.errors).toEqual([
      { parameter: 'url', message: expect.stringContaining('non-public address') },
    ]);
  });

  it('stores a grade sent as a JSON body, base64-encoded as API Gateway may pass it', async () => {
    const event = gatewayEvent(
      '/matches/match-00004/feedback',
      {},
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const result = await invoke({
      ...event,
      body: Buffer.from(JSON.stringify({ grade: 0, note: 'not the war' })).toString('base64'),
      isBase64Encoded: true,
    });

    expect(result.statusCode, result.body).toBe(201);
    expect(result.json).toMatchObject({ id: 'match-00004', grade: 0, note: 'not the war' });
    expect((await table.store().getFeedback('match-00004'))?.grade).toBe(0);
    const listed = await invoke(gatewayEvent('/feedback'));
    expect(listed.json.items.map((item: { id: string }) => item.id)).toEqual(['match-00004']);
  });

  it('allows the configured browser origin', async () => {
    const result = await invoke(gatewayEvent('/feeds', {}, { headers: { Origin: APP_ORIGIN } }));

    expect(result.headers?.['access-control-allow-origin']).toBe(APP_ORIGIN);
  });

  it('refuses to start without its table name, naming the variable', async () => {
    const { TABLE_NAME: _missing, ...rest } = environment('unused');

    await expect(createApiFunction(rest)).rejects.toThrow(/TABLE_NAME/);
  });
});

describe('the exported Lambda handler', () => {
  const saved = { ...process.env };

  afterAll(() => {
    process.env = saved;
  });

  it('builds itself from the environment on the first invocation and answers', async () => {
    Object.assign(process.env, environment(table.tableName), {
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const { handler } = await import('#functions/api/handler.ts');

    const result = await handler(gatewayEvent('/matches', { limit: ['2'] }), {
      awsRequestId: 'lambda-request-2',
      functionName: 'newswatch-api',
    } as Context);

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).items).toHaveLength(2);
  });
});

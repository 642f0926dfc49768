import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import { type LocalApiServer, startLocalApiServer } from '#shared/api/local-api-server.ts';
import { createProfileSource } from '#shared/profile/profile-in-use.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { SEED_TEXT, seedsFolder } from '../../unit/profile/profile-fixtures.ts';
import { createEmbeddedTestStore } from '../support/dynamo-table.ts';

let store: DynamoDbStore;
let close: () => Promise<void>;
let server: LocalApiServer;

beforeAll(async () => {
  ({ store, close } = await createEmbeddedTestStore());
  const seedsDir = seedsFolder({
    'a.txt': SEED_TEXT,
    'profile.json': JSON.stringify({ thresholds: { match: 0.3 } }),
  });
  const profiles = createProfileSource({ profiles: store.profiles, seedsDir });
  const router = createApiRouter({
    store,
    profile: () => profiles.current(),
    profileVersions: { profiles: store.profiles, seedsDir },
  });
  server = await startLocalApiServer({ router, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await close?.();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted on as free-form JSON
type Json = any;

async function call(
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

describe('the profile version routes over the local server', () => {
  it('reports the shipped overlay as version 1 in use, before any change', async () => {
    const profile = await call('GET', '/profile');
    const versions = await call('GET', '/profile/versions');

    expect(profile.body.overlayVersion).toBe(1);
    expect(versions.status).toBe(200);
    expect(versions.body.inUse).toMatchObject({ number: 1, by: 'seeds' });
    expect(versions.body.items).toEqual([
      expect.objectContaining({ number: 1, overlay: { thresholds: { match: 0.3 } } }),
    ]);
  });

  it('adds a version in use with POST (201), which GET /profile then reports', async () => {
    const overlay = { thresholds: { match: 0.4, alert: 0.8 } };
    const created = await call(
      'POST',
      '/profile/versions',
      JSON.stringify({ overlay, note: 'try' }),
    );

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: 2, overlay, note: 'try', createdBy: 'local API' });
    const profile = await call('GET', '/profile');
    expect(profile.body).toMatchObject({
      overlayVersion: 2,
      thresholds: { match: 0.4, alert: 0.8 },
    });
    expect(profile.body.version).toBe(created.body.profileVersion);
  });

  it('puts an older version back with PUT /profile/in-use', async () => {
    const back = await call('PUT', '/profile/in-use', JSON.stringify({ version: 1 }));

    expect(back.status).toBe(200);
    expect(back.body.number).toBe(1);
    expect((await call('GET', '/profile')).body.overlayVersion).toBe(1);
    expect((await call('GET', '/profile/versions')).body.inUse.number).toBe(1);
  });

  it('refuses an overlay the schema rejects, naming the key, and stores nothing', async () => {
    const before = (await call('GET', '/profile/versions')).body.items.length;
    const bad = await call(
      'POST',
      '/profile/versions',
      JSON.stringify({ overlay: { thresholds: { match: 2 } } }),
    );

    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { parameter: string }) => error.parameter)).toEqual([
      'overlay.thresholds.match',
    ]);
    expect((await call('GET', '/profile/versions')).body.items.length).toBe(before);
  });

  it('refuses a body that is not JSON, a missing body and unknown keys', async () => {
    const notJson = await call('POST', '/profile/versions', '{"overlay": ');
    const none = await call('POST', '/profile/versions');
    const unknown = await call(
      'POST',
      '/profile/versions',
      JSON.stringify({ overlay: {}, by: 'x' }),
    );

    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0]).toMatchObject({ parameter: 'body' });
    expect(none.status).toBe(400);
    expect(none.body.errors[0]).toMatchObject({ parameter: 'body' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ parameter: 'by', message: 'unknown field' });
  });

  it('answers 404 for a version that does not exist', async () => {
    const missing = await call('PUT', '/profile/in-use', JSON.stringify({ version: 42 }));
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('no profile overlay version 42');
  });

  it('answers 405 with the methods a path takes, and refuses a body on a read', async () => {
    const wrong = await call('DELETE', '/profile/versions');
    const options = await call('OPTIONS', '/profile/versions');
    const bodyOnRead = await call('POST', '/matches', '{}');

    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(bodyOnRead.status).toBe(405);
    expect(bodyOnRead.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses a body larger than the server reads', async () => {
    const huge = JSON.stringify({ overlay: { description: 'x'.repeat(300 * 1024) } });
    const refused = await call('POST', '/profile/versions', huge).catch((error: Error) => error);
    // The server may answer 413 or cut the connection while the client still sends.
    if (refused instanceof Error) expect(refused.message).toMatch(/fetch failed|socket/i);
    else expect(refused.status).toBe(413);
  });
});

describe('a router without profile versions', () => {
  it('answers 404 on the version routes', async () => {
    const router = createApiRouter({ store, profile: () => ({}) });
    const response = await router({
      method: 'GET',
      path: '/profile/versions',
      query: {},
      headers: {},
      requestId: 'r1',
    });
    expect(response.status).toBe(404);
  });
});

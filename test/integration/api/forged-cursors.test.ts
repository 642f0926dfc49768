import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '#shared/api/api-router.ts';
import { type LocalApiServer, startLocalApiServer } from '#shared/api/local-api-server.ts';
import { SAMPLE_PROFILE } from '../../fixtures/api/api-test-data.ts';
import { BACKENDS } from '../store/backends.ts';
import { matchSet, storeMatches } from './api-fixtures.ts';

type Payload = Record<string, unknown>;

function decodePayload(cursor: string): Payload {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
}

function encodePayload(payload: Payload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * Cursors as an attacker forges them where they are unsigned (a deployment without a cursor
 * secret): valid base64url JSON that starts from a real cursor of the same query, so the
 * fingerprint matches and only the position is wrong.
 */
const FORGERIES: [string, (real: Payload) => Payload][] = [
  ['a position without an id', (real) => ({ ...real, a: String(real.a).slice(0, 24) })],
  ['a position that is a table key', (real) => ({ ...real, a: 'MATCH#match-00003' })],
  [
    'a position whose instant is not canonical',
    (real) => ({ ...real, a: '2026-02-30T25:61:00.000Z#x' }),
  ],
  ['a month that does not exist', (real) => ({ ...real, m: `${String(real.m).slice(0, 4)}-13` })],
  ['a number for the position', (real) => ({ ...real, a: 20260101 })],
  ['a number for the month', (real) => ({ ...real, m: 202601 })],
  ['a list for the index', (real) => ({ ...real, x: ['time'] })],
  ['a string for the version', (real) => ({ ...real, v: '1' })],
  ['an object for the fingerprint', (real) => ({ ...real, h: { $ne: '' } })],
  [
    'an id of 1,000 bytes',
    (real) => ({ ...real, a: `${String(real.a).slice(0, 25)}${'x'.repeat(1000)}` }),
  ],
  [
    'an id of 600 two-byte characters',
    (real) => ({ ...real, a: `${String(real.a).slice(0, 25)}${'é'.repeat(600)}` }),
  ],
  [
    'an id with a lone surrogate',
    (real) => ({ ...real, a: `${String(real.a).slice(0, 25)}\ud800` }),
  ],
  ['the facet index', (real) => ({ ...real, x: 'facet' })],
  ['a position in another month', (real) => ({ ...real, m: '2001-01' })],
];

describe.each(BACKENDS)('forged cursors over HTTP on $name', (backend) => {
  let close: () => Promise<void>;
  let server: LocalApiServer;
  let real: Payload;

  beforeAll(async () => {
    const opened = await backend.open();
    close = opened.close;
    // No cursor secret: the deployed API's cursors are unsigned until a secret is set.
    const store = opened.table.store();
    await storeMatches(store, matchSet(12));
    server = await startLocalApiServer({
      router: createApiRouter({ store, profile: () => SAMPLE_PROFILE }),
      port: 0,
    });
    const first = (await (await fetch(`${server.url}/matches?limit=3`)).json()) as {
      nextCursor: string;
    };
    real = decodePayload(first.nextCursor);
  });
  afterAll(async () => {
    await server?.close();
    await close?.();
  });

  it('continues from the real cursor it forges from', async () => {
    const response = await fetch(`${server.url}/matches?limit=3&cursor=${encodePayload(real)}`);

    expect(response.status).toBe(200);
  });

  it.each(FORGERIES)('answers a cursor with %s with 400 naming the cursor', async (_, forge) => {
    const cursor = encodePayload(forge(real));

    const response = await fetch(`${server.url}/matches?limit=3&cursor=${cursor}`);
    const body = (await response.json()) as { errors?: { parameter: string }[] };

    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body.errors).toEqual([expect.objectContaining({ parameter: 'cursor' })]);
  });

  it("answers a real cursor of another outlet's listing with 400 naming the cursor", async () => {
    const other = (await (
      await fetch(`${server.url}/matches?limit=1&feed=Example%20Wire`)
    ).json()) as { nextCursor: string };

    const response = await fetch(`${server.url}/matches?limit=3&cursor=${other.nextCursor}`);
    const body = (await response.json()) as { errors?: { parameter: string }[] };

    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ parameter: 'cursor' })]);
  });

  it('answers a match id too long for a key with 400 naming the id', async () => {
    const id = encodeURIComponent('😀'.repeat(512));

    const response = await fetch(`${server.url}/matches/${id}`);
    const body = (await response.json()) as { errors?: { parameter: string }[] };

    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ parameter: 'id' })]);
  });
});

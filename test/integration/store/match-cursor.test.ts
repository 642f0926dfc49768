import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { InvalidCursorError } from '#shared/store/store-errors.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';
import type { TestTable } from '../support/dynamo-table.ts';
import { BACKENDS } from './backends.ts';

const DAY_MS = 86_400_000;
const TODAY = Date.parse(new Date().toISOString().slice(0, 10));
const SINCE = new Date(TODAY - 60 * DAY_MS).toISOString();

function decodePayload(cursor: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(cursor.split('.')[0] ?? '', 'base64url').toString('utf8'));
}

function encodePayload(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

describe.each(BACKENDS)('match cursors on $name', (backend) => {
  let table: TestTable;
  let close: () => Promise<void>;
  let signed: DynamoDbStore;
  let unsigned: DynamoDbStore;

  beforeAll(async () => {
    ({ table, close } = await backend.open());
    signed = table.store({ cursorSecret: 'first-secret' });
    unsigned = table.store();
    for (let index = 0; index < 12; index++) {
      await signed.storeMatches(
        [
          aMatch({
            id: `c${String(index).padStart(2, '0')}`,
            storedAt: new Date(TODAY - (50 - index * 4) * DAY_MS).toISOString(),
            facets: index % 2 === 0 ? ['even'] : ['odd'],
          }),
        ],
        [],
        [],
      );
    }
  });
  afterAll(async () => close());

  it('continues a query from its own cursor', async () => {
    const first = await signed.listMatches({ since: SINCE, limit: 5 });

    const second = await signed.listMatches({ since: SINCE, limit: 5, cursor: first.nextCursor });

    expect(second.items.map((match) => match.id)).toEqual(['c06', 'c05', 'c04', 'c03', 'c02']);
  });

  it('rejects a cursor that is not one of its own', async () => {
    await expect(signed.listMatches({ limit: 5, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('rejects a signed cursor whose position was edited', async () => {
    const { nextCursor = '' } = await signed.listMatches({ since: SINCE, limit: 5 });
    const [, signature] = nextCursor.split('.');
    const payload = decodePayload(nextCursor);
    const edited = `${encodePayload({ ...payload, a: `${String(payload.a).slice(0, 24)}#c11` })}.${signature}`;

    await expect(
      signed.listMatches({ since: SINCE, limit: 5, cursor: edited }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('rejects a cursor signed with another secret', async () => {
    const other = table.store({ cursorSecret: 'second-secret' });
    const { nextCursor } = await other.listMatches({ since: SINCE, limit: 5 });

    await expect(
      signed.listMatches({ since: SINCE, limit: 5, cursor: nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('rejects an unsigned cursor where cursors are signed', async () => {
    const { nextCursor } = await unsigned.listMatches({ since: SINCE, limit: 5 });

    await expect(
      signed.listMatches({ since: SINCE, limit: 5, cursor: nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('rejects a cursor replayed with other filters', async () => {
    const { nextCursor } = await signed.listMatches({ facet: 'even', since: SINCE, limit: 2 });

    await expect(
      signed.listMatches({ facet: 'odd', since: SINCE, limit: 2, cursor: nextCursor }),
    ).rejects.toThrow(/another query|other filters/);
  });

  it('accepts the same query with another page size', async () => {
    const { nextCursor } = await signed.listMatches({ since: SINCE, limit: 2 });

    const next = await signed.listMatches({ since: SINCE, limit: 3, cursor: nextCursor });

    expect(next.items.map((match) => match.id)).toEqual(['c09', 'c08', 'c07']);
  });

  it('rejects an unsigned forged cursor that points outside the time window', async () => {
    const { nextCursor = '' } = await unsigned.listMatches({ since: SINCE, limit: 5 });
    const payload = decodePayload(nextCursor);
    const outside = encodePayload({ ...payload, m: '2001-01', a: '2001-01-01T00:00:00.000Z#c00' });

    await expect(unsigned.listMatches({ since: SINCE, limit: 5, cursor: outside })).rejects.toThrow(
      /outside the query/,
    );
  });

  it('rejects an unsigned forged cursor whose position lies in another month', async () => {
    const { nextCursor = '' } = await unsigned.listMatches({ since: SINCE, limit: 5 });
    const payload = decodePayload(nextCursor);
    const positionMonth = String(payload.a).slice(0, 7);
    const otherMonth = [SINCE.slice(0, 7), new Date(TODAY).toISOString().slice(0, 7)].find(
      (month) => month !== positionMonth,
    );

    await expect(
      unsigned.listMatches({
        since: SINCE,
        limit: 5,
        cursor: encodePayload({ ...payload, m: otherMonth }),
      }),
    ).rejects.toThrow(/not in its month/);
  });

  // DynamoDB Local does not check the size of a start key's table sort key; dynalite does.
  it.skipIf(backend.name === 'DynamoDB Local')(
    'answers a position whose start key the store refuses as an invalid cursor',
    async () => {
      // Only the store's own callers name facets this long (the API takes 100 characters): the
      // facet entry's sort key in the start key passes the 1024 bytes of a sort key, the query
      // alone does not.
      const facet = 'f'.repeat(1100);
      const tight = table.store({ pageBudget: { queries: 1 } });
      const { nextCursor = '' } = await tight.listMatches({ facet, since: SINCE, limit: 5 });
      const payload = decodePayload(nextCursor);
      const forged = encodePayload({ ...payload, a: `${String(payload.m)}-01T00:00:00.000Z#c00` });

      await expect(
        tight.listMatches({ facet, since: SINCE, limit: 5, cursor: forged }),
      ).rejects.toThrow(/the store cannot start from its position/);
    },
  );

  it('rejects an unsigned cursor that switches to another index', async () => {
    const { nextCursor = '' } = await unsigned.listMatches({ since: SINCE, limit: 5 });
    const payload = decodePayload(nextCursor);

    await expect(
      unsigned.listMatches({
        since: SINCE,
        limit: 5,
        cursor: encodePayload({ ...payload, x: 'facet' }),
      }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

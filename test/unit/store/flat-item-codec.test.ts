import { describe, expect, it } from 'vitest';
import { DOCUMENT_ITEM_CODEC, FLAT_ITEM_CODEC } from '#shared/store/flat-item-codec.ts';

describe('FLAT_ITEM_CODEC', () => {
  it('writes strings and numbers as DynamoDB does, leaves undefined out, and reads them back', () => {
    const item = {
      pk: 'FEEDS',
      sk: 'FEED#a',
      etag: '"x"',
      fetchCount: 3,
      score: 0.25,
      gone: undefined,
    };

    const image = FLAT_ITEM_CODEC.marshall(item);

    expect(image).toEqual({
      pk: { S: 'FEEDS' },
      sk: { S: 'FEED#a' },
      etag: { S: '"x"' },
      fetchCount: { N: '3' },
      score: { N: '0.25' },
    });
    expect(FLAT_ITEM_CODEC.unmarshall(image)).toEqual({
      pk: 'FEEDS',
      sk: 'FEED#a',
      etag: '"x"',
      fetchCount: 3,
      score: 0.25,
    });
  });

  it('refuses what is not a string or a finite number, naming the attribute', () => {
    expect(() => FLAT_ITEM_CODEC.marshall({ tags: ['a'] })).toThrow(/attribute tags/);
    expect(() => FLAT_ITEM_CODEC.marshall({ count: Number.NaN })).toThrow(/attribute count/);
  });

  it('reads any other attribute type as the SDK does, so an item written otherwise reads whole', () => {
    const read = FLAT_ITEM_CODEC.unmarshall({
      pk: { S: 'FEEDS' },
      tags: { L: [{ S: 'a' }, { N: '2' }] },
      ok: { BOOL: true },
    });

    expect(read).toEqual({ pk: 'FEEDS', tags: ['a', 2], ok: true });
  });
});

describe('DOCUMENT_ITEM_CODEC', () => {
  it('marshals items of any shape as the document client does, undefined left out, and back', () => {
    const item = {
      pk: 'MATCH#a',
      score: 0.5,
      alert: false,
      facets: ['war', 'sanctions'],
      explanation: { facets: [{ name: 'war', score: 1, matched: ['troops'] }], note: undefined },
      gone: undefined,
    };

    const image = DOCUMENT_ITEM_CODEC.marshall(item);

    expect(image).toEqual({
      pk: { S: 'MATCH#a' },
      score: { N: '0.5' },
      alert: { BOOL: false },
      facets: { L: [{ S: 'war' }, { S: 'sanctions' }] },
      explanation: {
        M: {
          facets: {
            L: [
              { M: { name: { S: 'war' }, score: { N: '1' }, matched: { L: [{ S: 'troops' }] } } },
            ],
          },
        },
      },
    });
    expect(DOCUMENT_ITEM_CODEC.unmarshall(image)).toEqual({
      pk: 'MATCH#a',
      score: 0.5,
      alert: false,
      facets: ['war', 'sanctions'],
      explanation: { facets: [{ name: 'war', score: 1, matched: ['troops'] }] },
    });
  });
});

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  decodeMatchImage,
  matchFacetItems,
  matchItem,
  withoutUndefined,
} from '#shared/store/dynamodb-match-codec.ts';
import { ALERT_STREAM_FILTER } from '#shared/store/table-design.ts';
import { aMatch } from '../../fixtures/store/match-fixtures.ts';

const EXPIRES_AT = 1_900_000_000;

function image(item: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
}

/** Whether a stream image passes the NewImage part of the event-source filter. */
function passesStreamFilter(newImage: Record<string, AttributeValue>): boolean {
  const filter = ALERT_STREAM_FILTER.dynamodb.NewImage;
  return (
    (filter.entity.S as readonly string[]).includes(newImage.entity?.S ?? '') &&
    (filter.alert.BOOL as readonly boolean[]).includes(newImage.alert?.BOOL ?? false)
  );
}

describe('match codec', () => {
  it('decodes the stream image of a match item back into the match', () => {
    const match = aMatch({ id: 'm1', alert: true });

    expect(decodeMatchImage(image(matchItem(match, EXPIRES_AT)))).toEqual(match);
  });

  it('decodes the image of any other item as no match', () => {
    const [facetItem] = matchFacetItems(aMatch({ id: 'm1' }), EXPIRES_AT);

    expect(decodeMatchImage(image(facetItem ?? {}))).toBeUndefined();
  });

  it('decodes a malformed match image as no match', () => {
    const item = matchItem(aMatch({ id: 'm1' }), EXPIRES_AT);

    expect(decodeMatchImage(image({ ...item, score: 'high' }))).toBeUndefined();
  });

  it('lets an alert-worthy match item through the stream filter', () => {
    expect(
      passesStreamFilter(image(matchItem(aMatch({ id: 'm1', alert: true }), EXPIRES_AT))),
    ).toBe(true);
  });

  it('keeps a match that is not alert-worthy out of the stream filter', () => {
    expect(
      passesStreamFilter(image(matchItem(aMatch({ id: 'm1', alert: false }), EXPIRES_AT))),
    ).toBe(false);
  });

  it('keeps facet index items out of the stream filter', () => {
    const [facetItem] = matchFacetItems(aMatch({ id: 'm1', alert: true }), EXPIRES_AT);

    expect(passesStreamFilter(image(facetItem ?? {}))).toBe(false);
  });

  it('writes one facet index item per distinct facet', () => {
    const items = matchFacetItems(aMatch({ id: 'm1', facets: ['a', 'b', 'a'] }), EXPIRES_AT);

    expect(items.map((item) => item.sk)).toEqual(['FACET#a', 'FACET#b']);
  });

  it('leaves alsoReportedBy out of the stored item, since it is derived on read', () => {
    const item = matchItem(
      aMatch({ id: 'm1', alsoReportedBy: [{ matchId: 'm2', feed: 'x', title: 't' }] }),
      EXPIRES_AT,
    );

    expect(item).not.toHaveProperty('alsoReportedBy');
  });

  it('drops undefined values at any depth', () => {
    expect(withoutUndefined({ a: 1, b: undefined, c: [{ d: undefined, e: 2 }] })).toEqual({
      a: 1,
      c: [{ e: 2 }],
    });
  });
});

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { INDEX_PK, KEY, monthOf, timeSortKey } from './dynamodb-keys.ts';
import { type Match, MatchSchema } from './match-schema.ts';

/** The `entity` attribute of a match item: ALERT_STREAM_FILTER selects on it. */
export const MATCH_ENTITY = 'match';
const MATCH_FACET_ENTITY = 'match-facet';

type Item = Record<string, unknown>;

/** Drops undefined values, which DynamoDB cannot store, whatever the client's marshall options. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value !== null && typeof value === 'object') {
    const out: Item = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out[key] = withoutUndefined(inner);
    }
    return out as T;
  }
  return value;
}

/** The match item: every field of the match (alsoReportedBy is derived on read) plus its keys. */
export function matchItem(match: Match, expiresAt: number): Item {
  const { alsoReportedBy: _derived, ...stored } = match;
  const month = monthOf(match.storedAt);
  const sortKey = timeSortKey(match.storedAt, match.id);
  return withoutUndefined({
    ...stored,
    ...KEY.match(match.id),
    entity: MATCH_ENTITY,
    gsi1pk: INDEX_PK.matchesByMonth(month),
    gsi1sk: sortKey,
    gsi2pk: INDEX_PK.feedByMonth(match.feed, month),
    gsi2sk: sortKey,
    expiresAt,
  });
}

/**
 * One slim index item per facet: what the listing filters on (score, feed, title, summary) and
 * the keys; the page then reads the full matches in one BatchGet.
 */
export function matchFacetItems(match: Match, expiresAt: number): Item[] {
  const month = monthOf(match.storedAt);
  return [...new Set(match.facets)].map((facet) =>
    withoutUndefined({
      ...KEY.matchFacet(match.id, facet),
      entity: MATCH_FACET_ENTITY,
      id: match.id,
      facet,
      storedAt: match.storedAt,
      score: match.score,
      feed: match.feed,
      title: match.title,
      summary: match.summary,
      lang: match.lang,
      gsi1pk: INDEX_PK.facetByMonth(facet, month),
      gsi1sk: timeSortKey(match.storedAt, match.id),
      expiresAt,
    }),
  );
}

/** A stored match item back to a Match; throws when the item does not hold a valid match. */
export function matchFromItem(item: Item): Match {
  const parsed = MatchSchema.safeParse(item);
  if (!parsed.success) {
    throw new Error(`stored match ${String(item.id)} is malformed: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** Turns a DynamoDB stream NewImage into a Match; undefined for any other item or a malformed one. */
export function decodeMatchImage(image: Record<string, AttributeValue>): Match | undefined {
  const item = unmarshall(image);
  if (item.entity !== MATCH_ENTITY) return undefined;
  const parsed = MatchSchema.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}

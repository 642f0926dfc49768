import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoContext, nowSeconds, send } from './dynamodb-context.ts';
import {
  canonicalIso,
  INDEX_PK,
  idOfTimeSortKey,
  isExpired,
  KEY,
  liveMonths,
  monthOf,
} from './dynamodb-keys.ts';
import { matchFromItem } from './dynamodb-match-codec.ts';
import { batchGetAll } from './dynamodb-retry.ts';
import { type CursorCodec, type CursorPosition, queryFingerprint } from './match-cursor.ts';
import type { Match, MatchPage, MatchQuery, StoryMember } from './match-schema.ts';
import { InvalidCursorError, InvalidMatchQueryError } from './store-errors.ts';

type Item = Record<string, unknown>;
type IndexKind = 'time' | 'facet' | 'feed';

interface QueryPlan {
  kind: IndexKind;
  indexName: 'gsi1' | 'gsi2';
  pkAttr: 'gsi1pk' | 'gsi2pk';
  skAttr: 'gsi1sk' | 'gsi2sk';
  partition(month: string): string;
  tableKey(id: string): { pk: string; sk: string };
  /** Inclusive sort-key range of the time window. */
  low: string;
  high: string;
  lowMonth: string;
  highMonth: string;
  fingerprint: string;
  accepts(item: Item): boolean;
  /**
   * How many items a query asks for, per item still missing from the page: 1 when every item
   * examined is kept; 2 when only copies that are not a story's first are left out (most matches
   * lead their story); the whole budget when filters of unknown selectivity apply.
   */
  readAhead: number;
}

/** One bounded page of matches, newest first, served by the time, facet or feed index. */
export async function listMatchPage(
  ctx: DynamoContext,
  cursors: CursorCodec,
  query: MatchQuery,
  options: {
    leadsOnly?: boolean;
    /** The earliest month any match was stored in, when the table records it. */
    firstMonth?: string;
  } = {},
): Promise<MatchPage> {
  const plan = planQuery(query, nowSeconds(ctx), options.leadsOnly ?? false);
  const limit = Math.max(1, Math.min(100, query.limit ?? 25));
  const start = query.cursor
    ? startOf(cursors.decode(query.cursor, plan.fingerprint), plan)
    : undefined;
  if (plan.low > plan.high) return { items: [] };

  const months = liveMonths(
    ctx.now(),
    ctx.matchRetentionDays,
    plan.lowMonth,
    start?.month ?? plan.highMonth,
    options.firstMonth,
  );
  const budget = ctx.pageBudget;
  let queries = 0;
  let examined = 0;
  const picked: Item[] = [];
  let stop: CursorPosition | undefined;

  walk: for (const [monthIndex, month] of months.entries()) {
    let after = month === start?.month ? start.after : undefined;
    for (;;) {
      if (queries >= budget.queries || examined >= budget.items) {
        stop = { index: plan.kind, month, ...(after ? { after } : {}) };
        break walk;
      }
      const left = budget.items - examined;
      const fromCursor = start !== undefined && month === start.month && after === start.after;
      const output = await queryBucket(
        ctx,
        plan,
        month,
        after,
        Math.min(left, plan.readAhead * (limit - picked.length)),
      ).catch((error: unknown) => {
        throw fromCursor ? cursorRefusal(error) : error;
      });
      queries++;
      const items = output.Items ?? [];
      for (const [itemIndex, item] of items.entries()) {
        examined++;
        after = String(item[plan.skAttr]);
        if (!plan.accepts(item)) continue;
        picked.push(item);
        if (picked.length === limit) {
          const more =
            itemIndex < items.length - 1 ||
            output.LastEvaluatedKey !== undefined ||
            (await holdsOlder(ctx, plan, months.slice(monthIndex + 1), budget.queries - queries));
          if (more) stop = { index: plan.kind, month, after };
          break walk;
        }
      }
      if (!output.LastEvaluatedKey) break;
      after = String(output.LastEvaluatedKey[plan.skAttr]);
    }
  }

  const resolved = await resolveMatches(ctx, plan, picked);
  // Slim facet entries do not carry the story: leads are told apart once the matches are read.
  const kept = options.leadsOnly ? resolved.filter(isStoryLead) : resolved;
  const matches = await withAlsoReportedBy(ctx, kept);
  return {
    items: matches,
    ...(stop ? { nextCursor: cursors.encode(stop, plan.fingerprint) } : {}),
  };
}

/** A story is named after its first copy, so the lead is the match whose id is its story's. */
function isStoryLead(match: Match): boolean {
  return match.storyId === match.id;
}

function planQuery(query: MatchQuery, nowSeconds: number, leadsOnly: boolean): QueryPlan {
  const since = query.since ? isoParameter('since', query.since) : undefined;
  const until = query.until ? isoParameter('until', query.until) : undefined;
  const words = (query.q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  // An empty facet or feed selects nothing in particular: the same as leaving it out.
  const facet = query.facet || undefined;
  const feed = query.feed || undefined;
  const lang = query.lang?.toLowerCase() || undefined;
  const kind: IndexKind = facet ? 'facet' : feed ? 'feed' : 'time';
  const accepts = (item: Item): boolean => {
    if (isExpired(item, nowSeconds)) return false;
    if (leadsOnly && kind !== 'facet' && item.storyId !== item.id) return false;
    if (query.minScore !== undefined && Number(item.score) < query.minScore) return false;
    if (feed !== undefined && kind !== 'feed' && item.feed !== feed) return false;
    if (lang !== undefined && item.lang !== lang) return false;
    if (words.length > 0) {
      const text = `${String(item.title ?? '')}\n${String(item.summary ?? '')}`.toLowerCase();
      if (!words.every((word) => text.includes(word))) return false;
    }
    return true;
  };
  return {
    kind,
    indexName: kind === 'feed' ? 'gsi2' : 'gsi1',
    pkAttr: kind === 'feed' ? 'gsi2pk' : 'gsi1pk',
    skAttr: kind === 'feed' ? 'gsi2sk' : 'gsi1sk',
    partition: (month) =>
      facet
        ? INDEX_PK.facetByMonth(facet, month)
        : feed
          ? INDEX_PK.feedByMonth(feed, month)
          : INDEX_PK.matchesByMonth(month),
    tableKey: (id) => (facet ? KEY.matchFacet(id, facet) : KEY.match(id)),
    // `#` sorts before `$`, so every `<until>#<id>` key is within the inclusive range.
    low: since ?? '0000',
    high: until ? `${until}$` : '9999',
    lowMonth: since ? monthOf(since) : '0000-00',
    highMonth: until ? monthOf(until) : '9999-99',
    fingerprint: queryFingerprint([
      kind,
      facet,
      feed,
      since,
      until,
      query.minScore,
      words,
      lang,
      ...(leadsOnly ? ['leads'] : []),
    ]),
    accepts,
    readAhead:
      query.minScore !== undefined ||
      words.length > 0 ||
      lang !== undefined ||
      (kind === 'facet' && !!query.feed)
        ? Number.POSITIVE_INFINITY
        : leadsOnly && kind !== 'facet'
          ? 2
          : 1,
  };
}

function isoParameter(name: string, value: string): string {
  try {
    return canonicalIso(value);
  } catch {
    throw new InvalidMatchQueryError(name, `${JSON.stringify(value)} is not an ISO 8601 date`);
  }
}

/** Structural checks: a cursor (even a validly signed one) may only point inside its own query. */
function startOf(position: CursorPosition, plan: QueryPlan): CursorPosition {
  if (position.index !== plan.kind) throw new InvalidCursorError('it walks another index');
  if (position.month < plan.lowMonth || position.month > plan.highMonth) {
    throw new InvalidCursorError('its month is outside the query');
  }
  if (position.after !== undefined) {
    if (!position.after.startsWith(position.month)) {
      throw new InvalidCursorError('its position is not in its month');
    }
    if (position.after < plan.low || position.after > plan.high) {
      throw new InvalidCursorError('its position is outside the query');
    }
  }
  return position;
}

/**
 * The cursor's checks bound its position, but DynamoDB's own key rules (sizes, encodings) are
 * DynamoDB's: a start key it refuses came from the caller, so it is a bad cursor, not a failure.
 */
function cursorRefusal(error: unknown): unknown {
  return error instanceof Error && error.name === 'ValidationException'
    ? new InvalidCursorError('the store cannot start from its position')
    : error;
}

/**
 * Whether any of these older months holds an item of the query, so that a page filled by the
 * last item of its month has a cursor only when there is more. Months hold nothing on a young
 * table or for a rare filter; the first that holds something ends the look. Out of queries
 * before it knows, it answers yes.
 */
async function holdsOlder(
  ctx: DynamoContext,
  plan: QueryPlan,
  months: string[],
  queriesLeft: number,
): Promise<boolean> {
  for (const month of months.slice(0, queriesLeft)) {
    const output = await queryBucket(ctx, plan, month, undefined, 1);
    if ((output.Items ?? []).length > 0) return true;
  }
  return months.length > queriesLeft;
}

function queryBucket(
  ctx: DynamoContext,
  plan: QueryPlan,
  month: string,
  after: string | undefined,
  limit: number,
) {
  const partition = plan.partition(month);
  return send(ctx, 'Query', () =>
    ctx.client.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: plan.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
        ExpressionAttributeNames: { '#pk': plan.pkAttr, '#sk': plan.skAttr },
        ExpressionAttributeValues: { ':pk': partition, ':low': plan.low, ':high': plan.high },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: after
          ? {
              ...plan.tableKey(idOfTimeSortKey(after)),
              [plan.pkAttr]: partition,
              [plan.skAttr]: after,
            }
          : undefined,
      }),
    ),
  );
}

/** The facet index holds slim items: the page's full matches come in one BatchGet. */
async function resolveMatches(
  ctx: DynamoContext,
  plan: QueryPlan,
  items: Item[],
): Promise<Match[]> {
  if (plan.kind !== 'facet') return items.map(matchFromItem);
  const ids = [...new Set(items.map((item) => String(item.id)))];
  const full = await batchGetAll(
    ctx.client,
    ctx.tableName,
    ids.map((id) => KEY.match(id)),
    ctx.retry,
  );
  const byId = new Map(full.map((item) => [String(item.id), item]));
  return ids.flatMap((id) => {
    const item = byId.get(id);
    // A facet entry whose match expired first: skip it rather than fail the page.
    return item ? [matchFromItem(item)] : [];
  });
}

/** The other outlets that reported each match's story, from one BatchGet of story summaries. */
export async function withAlsoReportedBy(ctx: DynamoContext, matches: Match[]): Promise<Match[]> {
  const storyIds = [...new Set(matches.map((match) => match.storyId))];
  if (storyIds.length === 0) return matches;
  const summaries = await batchGetAll(
    ctx.client,
    ctx.tableName,
    storyIds.map((storyId) => KEY.storySummary(storyId)),
    ctx.retry,
  );
  const members = new Map(
    summaries.map((item) => [String(item.storyId), (item.members as StoryMember[]) ?? []]),
  );
  return matches.map((match) => ({
    ...match,
    alsoReportedBy: (members.get(match.storyId) ?? []).filter(
      (member) => member.matchId !== match.id,
    ),
  }));
}

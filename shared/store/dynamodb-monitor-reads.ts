import { type DynamoContext, nowSeconds, queryAll } from './dynamodb-context.ts';
import {
  canonicalIso,
  DIGEST_PK,
  daysDescending,
  INDEX_PK,
  isExpired,
  KEY,
  liveMonths,
  monthOf,
  timeSortKey,
} from './dynamodb-keys.ts';
import { batchGetAll } from './dynamodb-retry.ts';
import type {
  AlertChannel,
  DigestEntry,
  Headline,
  MatchVolume,
  QueuedDigestEntry,
  SentAlert,
  VolumeQuery,
} from './store-ports.ts';

type Item = Record<string, unknown>;

/** The sent alerts of these stories, from one BatchGet of their alert items. */
export async function storyAlerts(
  ctx: DynamoContext,
  storyIds: string[],
): Promise<Map<string, SentAlert>> {
  const unique = [...new Set(storyIds)];
  const alerts = new Map<string, SentAlert>();
  if (unique.length === 0) return alerts;
  const items = await batchGetAll(
    ctx.client,
    ctx.tableName,
    unique.map((storyId) => KEY.alert(storyId)),
    ctx.retry,
    {
      projection: 'storyId, matchId, #state, sentAt, channel',
      names: { '#state': 'state' },
    },
  );
  for (const item of items) {
    if (item.state !== 'sent' || typeof item.sentAt !== 'string') continue;
    alerts.set(String(item.storyId), alertOf(item));
  }
  return alerts;
}

/**
 * Matches per hour or day between two instants, in all and by facet: the keys of the time index
 * (matches) and of each facet's index (slim entries), projected to their sort key, so the cost
 * is one small read per match and per facet entry, and nothing is scanned.
 */
export async function matchVolume(
  ctx: DynamoContext,
  query: VolumeQuery,
  firstMonth: string | undefined,
): Promise<MatchVolume> {
  const since = canonicalIso(query.since);
  const until = canonicalIso(query.until);
  const width = query.interval === 'hour' ? 13 : 10;
  const starts = bucketStarts(since, until, query.interval);
  const index = new Map(starts.map((start, position) => [start.slice(0, width), position]));
  const buckets = starts.map((start) => ({
    start,
    matches: 0,
    facets: Object.fromEntries(query.facets.map((facet) => [facet, 0])) as Record<string, number>,
  }));
  const months = liveMonths(
    ctx.now(),
    ctx.matchRetentionDays,
    monthOf(since),
    monthOf(until),
    firstMonth,
  );
  const now = nowSeconds(ctx);
  const low = timeSortKey(since, '');
  const high = `${until}$`;
  const countInto = async (partition: string, add: (position: number) => void) => {
    const items = await queryAll(ctx, {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :low AND :high',
      ExpressionAttributeValues: { ':pk': partition, ':low': low, ':high': high },
      ProjectionExpression: 'gsi1sk, expiresAt',
    });
    for (const item of items) {
      if (isExpired(item, now)) continue;
      const position = index.get(String(item.gsi1sk).slice(0, width));
      if (position !== undefined) add(position);
    }
  };
  // The partitions are independent: on DynamoDB their queries overlap instead of queueing.
  await Promise.all(
    months.flatMap((month) => [
      countInto(INDEX_PK.matchesByMonth(month), (position) => {
        (buckets[position] as { matches: number }).matches++;
      }),
      ...query.facets.map((facet) =>
        countInto(INDEX_PK.facetByMonth(facet, month), (position) => {
          const counts = (buckets[position] as { facets: Record<string, number> }).facets;
          counts[facet] = (counts[facet] ?? 0) + 1;
        }),
      ),
    ]),
  );
  return { interval: query.interval, since, until, buckets };
}

/** Alerts sent between two instants, newest first, at most `limit`: one query per day bucket. */
export async function listSentAlerts(
  ctx: DynamoContext,
  sinceIso: string,
  untilIso: string,
  limit: number,
): Promise<SentAlert[]> {
  const found: SentAlert[] = [];
  const low = timeSortKey(sinceIso, '');
  const high = `${canonicalIso(untilIso)}$`;
  for (const day of daysDescending(untilIso, sinceIso)) {
    const items = await queryAll(
      ctx,
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :low AND :high',
        ExpressionAttributeValues: { ':pk': INDEX_PK.alertsByDay(day), ':low': low, ':high': high },
        ScanIndexForward: false,
      },
      limit - found.length,
    );
    for (const item of items) found.push(alertOf(item));
    if (found.length >= limit) break;
  }
  const headlines = await headlinesOf(ctx, found);
  return found.map((alert) => withHeadline(alert, headlines));
}

/** Stories waiting for the next digest, oldest first, at most `limit`; nothing is taken. */
export async function listDigestQueue(
  ctx: DynamoContext,
  limit: number,
): Promise<QueuedDigestEntry[]> {
  const items = await queryAll(
    ctx,
    {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': DIGEST_PK },
    },
    limit,
  );
  const entries: DigestEntry[] = items.map((item) => ({
    storyId: String(item.storyId),
    matchId: String(item.matchId),
    queuedAt: String(item.queuedAt),
  }));
  const headlines = await headlinesOf(ctx, entries);
  return entries.map((entry) => withHeadline(entry, headlines));
}

/** The headlines of these entries' matches, from one BatchGet projected to what a list shows. */
async function headlinesOf(
  ctx: DynamoContext,
  entries: { matchId: string }[],
): Promise<Map<string, Headline>> {
  const ids = [...new Set(entries.map((entry) => entry.matchId))];
  if (ids.length === 0) return new Map();
  const items = await batchGetAll(
    ctx.client,
    ctx.tableName,
    ids.map((id) => KEY.match(id)),
    ctx.retry,
    { projection: 'id, title, feed, link, expiresAt' },
  );
  const now = nowSeconds(ctx);
  return new Map(
    items
      .filter((item) => !isExpired(item, now))
      .map((item) => [
        String(item.id),
        {
          title: String(item.title),
          feed: String(item.feed),
          ...(typeof item.link === 'string' ? { link: item.link } : {}),
        },
      ]),
  );
}

function withHeadline<T extends { matchId: string }>(
  entry: T,
  headlines: Map<string, Headline>,
): T & { headline?: Headline } {
  const headline = headlines.get(entry.matchId);
  return headline ? { ...entry, headline } : entry;
}

function alertOf(item: Item): SentAlert {
  const channel =
    item.channel === 'digest' || item.channel === 'instant' ? item.channel : undefined;
  return {
    storyId: String(item.storyId),
    matchId: String(item.matchId),
    sentAt: String(item.sentAt),
    ...(channel ? { channel: channel as AlertChannel } : {}),
  };
}

/** The start of every hour or day (UTC) that overlaps [since, until], oldest first. */
function bucketStarts(since: string, until: string, interval: 'hour' | 'day'): string[] {
  const step = interval === 'hour' ? 3_600_000 : 86_400_000;
  const first = Math.floor(Date.parse(since) / step) * step;
  const last = Date.parse(until);
  const starts: string[] = [];
  for (let t = first; t <= last; t += step) starts.push(new Date(t).toISOString());
  return starts;
}

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoContext, queryAll, sendConditional } from './dynamodb-context.ts';
import {
  canonicalIso,
  dayBucketsSince,
  dayOf,
  expiryAfter,
  INDEX_PK,
  KEY,
  timeSortKey,
} from './dynamodb-keys.ts';
import { withoutUndefined } from './dynamodb-match-codec.ts';
import { batchPutAll } from './dynamodb-retry.ts';
import { type StoryMember, StoryMemberSchema } from './match-schema.ts';
import type { StorySignature } from './store-ports.ts';

/** Members copied into the story summary item, which alsoReportedBy reads in one BatchGet. */
export const STORY_SUMMARY_MEMBERS = 25;

/** Signatures stored since `sinceIso`, newest first: one query per day bucket until `limit`. */
export async function recentSignatures(
  ctx: DynamoContext,
  sinceIso: string,
  limit: number,
): Promise<StorySignature[]> {
  const found: StorySignature[] = [];
  if (limit <= 0) return found;
  const now = ctx.now();
  // Signatures older than the match retention have expired with their matches: never walk further.
  const horizonMs = now.getTime() - ctx.matchRetentionDays * 86_400_000;
  const since = new Date(Math.max(Date.parse(canonicalIso(sinceIso)), horizonMs)).toISOString();
  const low = timeSortKey(since, '');
  for (const day of dayBucketsSince(now, since)) {
    const items = await queryAll(
      ctx,
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :low',
        ExpressionAttributeValues: { ':pk': INDEX_PK.signaturesByDay(day), ':low': low },
        ScanIndexForward: false,
      },
      limit - found.length,
    );
    for (const item of items) found.push(signatureFromItem(item));
    if (found.length >= limit) return found;
  }
  return found;
}

/**
 * Records one member (an idempotent put keyed by story and match) and adds it to its story's
 * summary (addToSummaries), side by side: neither reads the other, and both are safe to repeat.
 */
export async function addStoryMember(ctx: DynamoContext, signature: StorySignature): Promise<void> {
  await Promise.all([
    batchPutAll(ctx.client, ctx.tableName, storyMemberItems(ctx, [signature]), ctx.retry),
    addToSummaries(ctx, [signature]),
  ]);
}

/** The member items of these signatures, one per story and match. */
export function storyMemberItems(
  ctx: DynamoContext,
  signatures: StorySignature[],
): Record<string, unknown>[] {
  return distinctMembers(signatures).map((entry) => memberItem(ctx, entry));
}

/**
 * The summaries of the stories these members found (a story's first copy is among them), each to
 * be put whole ahead of the members' own items, and the members of older stories, for
 * addToSummaries. Other writers find a story only through its members' items, which land with or
 * after its summary, so a put overwrites nothing they appended; only a write repeated after
 * another writer joined the story could drop that copy from the summary (its member item stays).
 */
export function storySummaryWrites(
  ctx: DynamoContext,
  signatures: StorySignature[],
): { summaryItems: Record<string, unknown>[]; toAppend: StorySignature[] } {
  const summaryItems: Record<string, unknown>[] = [];
  const toAppend: StorySignature[] = [];
  for (const members of byStory(signatures)) {
    if (!members.some((member) => member.matchId === member.storyId)) {
      toAppend.push(...members);
      continue;
    }
    const kept = members.slice(0, STORY_SUMMARY_MEMBERS);
    const last = kept[kept.length - 1] as StorySignature;
    summaryItems.push({
      ...KEY.storySummary(last.storyId),
      entity: 'story',
      storyId: last.storyId,
      expiresAt: expiryAfter(last.storedAt, ctx.matchRetentionDays),
      members: kept.map(memberOf),
      memberIds: kept.map((member) => member.matchId),
    });
  }
  return { summaryItems, toAppend };
}

/**
 * Adds members whose items are written to their stories' summaries, which alsoReportedBy reads:
 * one conditional update per story appends all its members (making the summary for a story's
 * first copy), unless one of them is there already or they would not fit; then each member is
 * appended on its own, so the ones that are missing and fit still go in. Stories are updated side
 * by side, each story's members in order.
 */
export async function addToSummaries(
  ctx: DynamoContext,
  signatures: StorySignature[],
): Promise<void> {
  await Promise.all(
    byStory(signatures).map(async (members) => {
      if (members.length > 1 && (await appendToSummary(ctx, members))) return;
      for (const member of members) await appendToSummary(ctx, [member]);
    }),
  );
}

/** The distinct members grouped by story, each story's in the order given. */
function byStory(signatures: StorySignature[]): StorySignature[][] {
  const stories = new Map<string, StorySignature[]>();
  for (const entry of distinctMembers(signatures)) {
    const story = stories.get(entry.storyId);
    if (story) story.push(entry);
    else stories.set(entry.storyId, [entry]);
  }
  return [...stories.values()];
}

function distinctMembers(signatures: StorySignature[]): StorySignature[] {
  return [
    ...new Map(signatures.map((entry) => [`${entry.storyId}\n${entry.matchId}`, entry])).values(),
  ];
}

/** The member fields alone, as the member item and the summary hold them. */
function memberOf(signature: StoryMember): StoryMember {
  return withoutUndefined(
    StoryMemberSchema.parse({
      matchId: signature.matchId,
      feed: signature.feed,
      title: signature.title,
      link: signature.link,
      published: signature.published,
    }),
  );
}

function memberItem(ctx: DynamoContext, signature: StorySignature): Record<string, unknown> {
  return withoutUndefined({
    ...KEY.storyMember(signature.storyId, signature.matchId),
    entity: 'story-member',
    ...memberOf(signature),
    storyId: signature.storyId,
    signature: signature.signature,
    storedAt: signature.storedAt,
    gsi1pk: INDEX_PK.signaturesByDay(dayOf(signature.storedAt)),
    gsi1sk: timeSortKey(signature.storedAt, signature.matchId),
    expiresAt: expiryAfter(signature.storedAt, ctx.matchRetentionDays),
  });
}

/**
 * Appends members of one story to its summary, making the summary when it is missing; false when
 * the condition failed: one of them a member already or no room for all of them.
 */
async function appendToSummary(ctx: DynamoContext, members: StorySignature[]): Promise<boolean> {
  const first = members[0];
  const last = members[members.length - 1];
  if (!first || !last || members.length > STORY_SUMMARY_MEMBERS) return false;
  const ids = Object.fromEntries(members.map((member, index) => [`:id${index}`, member.matchId]));
  const absent = Object.keys(ids).map((name) => `NOT contains(memberIds, ${name})`);
  return sendConditional(ctx, 'UpdateItem', () =>
    ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: KEY.storySummary(first.storyId),
        UpdateExpression:
          'SET entity = :entity, storyId = :storyId, expiresAt = :expiresAt, ' +
          'members = list_append(if_not_exists(members, :none), :members), ' +
          'memberIds = list_append(if_not_exists(memberIds, :none), :memberIds)',
        ConditionExpression: `attribute_not_exists(pk) OR (${absent.join(' AND ')} AND size(memberIds) <= :room)`,
        ExpressionAttributeValues: {
          ':entity': 'story',
          ':storyId': first.storyId,
          ':expiresAt': expiryAfter(last.storedAt, ctx.matchRetentionDays),
          ':none': [],
          ':members': members.map(memberOf),
          ':memberIds': members.map((member) => member.matchId),
          ...ids,
          ':room': STORY_SUMMARY_MEMBERS - members.length,
        },
      }),
    ),
  );
}

/** Every member of a story, first reported first. */
export async function storyMembers(ctx: DynamoContext, storyId: string): Promise<StoryMember[]> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
    ExpressionAttributeValues: { ':pk': KEY.storySummary(storyId).pk, ':member': 'MEMBER#' },
  });
  items.sort((a, b) =>
    String(a.gsi1sk) < String(b.gsi1sk) ? -1 : String(a.gsi1sk) > String(b.gsi1sk) ? 1 : 0,
  );
  return items.map((item) => StoryMemberSchema.parse(item));
}

function signatureFromItem(item: Record<string, unknown>): StorySignature {
  const member = StoryMemberSchema.parse(item);
  return {
    ...member,
    storyId: String(item.storyId),
    signature: String(item.signature),
    storedAt: String(item.storedAt),
  };
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  type PutCommandInput,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type DynamoContext, queryAll, send, sendConditional } from './dynamodb-context.ts';
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
/** Most actions DynamoDB takes in one TransactWriteItems. */
const TRANSACTION_ACTIONS = 100;

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
 * Records one member (an idempotent put keyed by story and match), then adds it to its story's
 * summary (addToSummaries). Both steps are safe to repeat.
 */
export async function addStoryMember(ctx: DynamoContext, signature: StorySignature): Promise<void> {
  await batchPutAll(ctx.client, ctx.tableName, storyMemberItems(ctx, [signature]), ctx.retry);
  await addToSummaries(ctx, [signature]);
}

/** The member items of these signatures, one per story and match. */
export function storyMemberItems(
  ctx: DynamoContext,
  signatures: StorySignature[],
): Record<string, unknown>[] {
  return distinctMembers(signatures).map((entry) => memberItem(ctx, entry));
}

/**
 * Adds members whose items are written to their stories' summaries. A story's first copy (the
 * match it is named after) writes no summary: a story of one has no one else to show, so the
 * summary is made when a second copy joins, with the first copy that copy carries (`founder`) or
 * else read from its member item.
 */
export async function addToSummaries(
  ctx: DynamoContext,
  signatures: StorySignature[],
): Promise<void> {
  const joiners = new Map<string, StorySignature[]>();
  for (const entry of distinctMembers(signatures)) {
    if (entry.matchId === entry.storyId) continue;
    const story = joiners.get(entry.storyId);
    if (story) story.push(entry);
    else joiners.set(entry.storyId, [entry]);
  }
  const writes = [...joiners].map(([storyId, members]) => summaryWrite(ctx, storyId, members));
  for (const write of await firstRequestsTogether(ctx, writes)) await addToSummary(ctx, write);
}

/** One story's summary update: the members that join it and what the first request needs. */
interface SummaryWrite {
  storyId: string;
  signatures: StorySignature[];
  members: StoryMember[];
  expiresAt: number;
  /** The story's first copy, when a joiner carries it: the summary is then most likely missing. */
  founder?: StoryMember;
}

function summaryWrite(
  ctx: DynamoContext,
  storyId: string,
  signatures: StorySignature[],
): SummaryWrite {
  const founder = signatures.find((entry) => entry.founder?.matchId === storyId)?.founder;
  return {
    storyId,
    signatures,
    members: signatures.map(memberOf),
    expiresAt: Math.max(
      ...signatures.map((entry) => expiryAfter(entry.storedAt, ctx.matchRetentionDays)),
    ),
    ...(founder ? { founder: memberOf(founder) } : {}),
  };
}

/**
 * The first request of each story's summary update, many stories to a TransactWriteItems where
 * the backend runs them: one request instead of one per story. A transaction applies nothing when
 * any of its conditions fails; its cancellation says which did, with the summary as it stands.
 * A story whose summary already holds its members or is full needs nothing more; the others that
 * failed take the one-by-one path (a race, a summary not made yet), and the rest go again in one
 * more transaction. On a backend without transactions (dynalite, asked once) every story goes
 * one by one. Returns the updates still to do.
 */
async function firstRequestsTogether(
  ctx: DynamoContext,
  writes: SummaryWrite[],
): Promise<SummaryWrite[]> {
  const rest: SummaryWrite[] = [];
  for (let start = 0; start < writes.length; start += TRANSACTION_ACTIONS) {
    let chunk = writes.slice(start, start + TRANSACTION_ACTIONS);
    for (let attempt = 0; attempt < 2 && chunk.length > 0; attempt++) {
      // One story gains nothing from a transaction, which costs twice the write units.
      if (chunk.length < 2 || ctx.transactions.supported === false) break;
      const outcome = await transact(ctx, chunk);
      if (outcome === 'applied') {
        chunk = [];
        break;
      }
      if (outcome === 'unsupported') break;
      rest.push(...outcome.failed);
      chunk = outcome.untried;
    }
    rest.push(...chunk);
  }
  return rest;
}

/** What became of one transaction of summary updates. */
type TransactionOutcome =
  | 'applied'
  | 'unsupported'
  /** Cancelled: the updates whose own condition failed and still need work, and the others. */
  | { failed: SummaryWrite[]; untried: SummaryWrite[] };

interface CancellationReason {
  Code?: string;
  Item?: Record<string, AttributeValue>;
}

async function transact(ctx: DynamoContext, chunk: SummaryWrite[]): Promise<TransactionOutcome> {
  try {
    await send(ctx, 'TransactWriteItems', () =>
      ctx.client.send(
        new TransactWriteCommand({
          TransactItems: chunk.map((write) =>
            write.founder
              ? { Put: { ...createSummaryInput(ctx, write), ...RETURN_SUMMARY_ON_FAILURE } }
              : { Update: { ...appendAllInput(ctx, write), ...RETURN_SUMMARY_ON_FAILURE } },
          ),
        }),
      ),
    );
    ctx.transactions.supported = true;
    return 'applied';
  } catch (error) {
    const { name, CancellationReasons: reasons } = error as {
      name?: string;
      CancellationReasons?: CancellationReason[];
    };
    if (name === 'UnknownOperationException') {
      ctx.transactions.supported = false;
      return 'unsupported';
    }
    if (name !== 'TransactionCanceledException') throw error;
    ctx.transactions.supported = true;
    if (reasons?.length !== chunk.length) return { failed: chunk, untried: [] };
    const failed: SummaryWrite[] = [];
    const untried: SummaryWrite[] = [];
    chunk.forEach((write, index) => {
      const reason = reasons[index] as CancellationReason;
      if (reason.Code === 'None') untried.push(write);
      else if (reason.Code !== 'ConditionalCheckFailed' || !settled(write, reason.Item)) {
        failed.push(write);
      }
    });
    return { failed, untried };
  }
}

const RETURN_SUMMARY_ON_FAILURE = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;

/** Whether the summary as it stands needs nothing from this update: it has its members, or is full. */
function settled(write: SummaryWrite, item: Record<string, AttributeValue> | undefined): boolean {
  if (!item) return false;
  const summary = unmarshall(item) as { memberIds?: string[]; memberCount?: number };
  if ((summary.memberCount ?? 0) >= STORY_SUMMARY_MEMBERS) return true;
  const ids = new Set(summary.memberIds ?? []);
  return write.members.every((member) => ids.has(member.matchId));
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
 * One conditional append when the summary exists with room and none of the members yet; else the
 * summary is created with the story's first copy; else (a race, a repeat, a full summary) the
 * members are appended one at a time. When a member carries the first copy, the story was one
 * copy as its writer last saw it, so the summary most likely does not exist: creating it comes
 * first, and needs no read.
 */
async function addToSummary(ctx: DynamoContext, write: SummaryWrite): Promise<void> {
  if (write.founder) {
    if (await createSummary(ctx, write)) return;
    if (await appendAll(ctx, write)) return;
  } else {
    if (await appendAll(ctx, write)) return;
    const founder = await readFounder(ctx, write.storyId);
    if (await createSummary(ctx, { ...write, ...(founder ? { founder } : {}) })) return;
  }
  for (const signature of write.signatures) await appendOne(ctx, signature);
}

/** Appends the members in one request, if the summary exists with room and none of them yet. */
function appendAll(ctx: DynamoContext, write: SummaryWrite): Promise<boolean> {
  return sendConditional(ctx, 'UpdateItem', () =>
    ctx.client.send(new UpdateCommand(appendAllInput(ctx, write))),
  );
}

function appendAllInput(
  ctx: DynamoContext,
  { storyId, members, expiresAt }: SummaryWrite,
): UpdateCommandInput & Required<Pick<UpdateCommandInput, 'UpdateExpression'>> {
  const ids = members.map((member) => member.matchId);
  const notContained = ids.map((_, index) => `NOT contains(memberIds, :id${index})`).join(' AND ');
  return {
    TableName: ctx.tableName,
    Key: KEY.storySummary(storyId),
    UpdateExpression:
      'SET expiresAt = :expiresAt, members = list_append(members, :members), ' +
      'memberIds = list_append(memberIds, :memberIds) ADD memberCount :count',
    ConditionExpression: `attribute_exists(pk) AND memberCount <= :room AND ${notContained}`,
    ExpressionAttributeValues: {
      ':expiresAt': expiresAt,
      ':members': members,
      ':memberIds': ids,
      ':count': ids.length,
      ':room': STORY_SUMMARY_MEMBERS - ids.length,
      ...Object.fromEntries(ids.map((id, index) => [`:id${index}`, id])),
    },
  };
}

/** The story's first copy, read from its member item (absent when it was never written). */
async function readFounder(ctx: DynamoContext, storyId: string): Promise<StoryMember | undefined> {
  const founder = await send(ctx, 'GetItem', () =>
    ctx.client.send(
      new GetCommand({
        TableName: ctx.tableName,
        Key: KEY.storyMember(storyId, storyId),
        ConsistentRead: true,
      }),
    ),
  );
  return founder.Item ? StoryMemberSchema.parse(founder.Item) : undefined;
}

/** Creates the summary with the story's first copy and these members, unless one exists. */
function createSummary(ctx: DynamoContext, write: SummaryWrite): Promise<boolean> {
  return sendConditional(ctx, 'PutItem', () =>
    ctx.client.send(new PutCommand(createSummaryInput(ctx, write))),
  );
}

function createSummaryInput(
  ctx: DynamoContext,
  { storyId, founder, members, expiresAt }: SummaryWrite,
): PutCommandInput {
  const first = founder ? [founder] : [];
  const all = [...first, ...members.filter((member) => member.matchId !== storyId)].slice(
    0,
    STORY_SUMMARY_MEMBERS,
  );
  return {
    TableName: ctx.tableName,
    Item: {
      ...KEY.storySummary(storyId),
      entity: 'story',
      storyId,
      expiresAt,
      members: all.map((member) => withoutUndefined(member)),
      memberIds: all.map((member) => member.matchId),
      memberCount: all.length,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/** Appends one member unless it is already there or the summary is full. */
async function appendOne(ctx: DynamoContext, signature: StorySignature): Promise<void> {
  // A failed condition means already a member or a full summary: the member item records it.
  await sendConditional(ctx, 'UpdateItem', () =>
    ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: KEY.storySummary(signature.storyId),
        UpdateExpression:
          'SET entity = :entity, storyId = :storyId, expiresAt = :expiresAt, ' +
          'members = list_append(if_not_exists(members, :empty), :member), ' +
          'memberIds = list_append(if_not_exists(memberIds, :empty), :memberId) ' +
          'ADD memberCount :one',
        ConditionExpression:
          'attribute_not_exists(pk) OR (NOT contains(memberIds, :id) AND memberCount < :cap)',
        ExpressionAttributeValues: {
          ':entity': 'story',
          ':storyId': signature.storyId,
          ':expiresAt': expiryAfter(signature.storedAt, ctx.matchRetentionDays),
          ':empty': [],
          ':member': [memberOf(signature)],
          ':memberId': [signature.matchId],
          ':id': signature.matchId,
          ':one': 1,
          ':cap': STORY_SUMMARY_MEMBERS,
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

import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CONFIG_DEFAULTS } from '#shared/config/config-schema.ts';
import type { ListedFeed } from '#shared/feeds/listed-feed.ts';
import {
  claimAlert,
  countAlertsSince,
  enqueueDigest,
  markAlertSent,
  readDigest,
  releaseAlert,
  removeDigest,
} from './dynamodb-alert-ledger.ts';
import {
  DEFAULT_PAGE_BUDGET,
  type DynamoContext,
  nowSeconds,
  type PageBudget,
  send,
  sendConditional,
} from './dynamodb-context.ts';
import {
  addListedFeed,
  readFeedList,
  removeListedFeed,
  seedFeedList,
} from './dynamodb-feed-list.ts';
import { getFeedStates, listFeedStates, putFeedStates } from './dynamodb-feed-states.ts';
import { getFeedback, listFeedback, putFeedback } from './dynamodb-feedback.ts';
import { expiryAfter, isExpired, KEY } from './dynamodb-keys.ts';
import { matchFacetItems, matchFromItem, matchItem } from './dynamodb-match-codec.ts';
import { listMatchPage, withAlsoReportedBy } from './dynamodb-match-query.ts';
import { MatchStart } from './dynamodb-match-start.ts';
import {
  listDigestQueue,
  listSentAlerts,
  matchVolume,
  storyAlerts,
} from './dynamodb-monitor-reads.ts';
import { DynamoDbProfileStore } from './dynamodb-profile-store.ts';
import { batchPutAll, DEFAULT_RETRY_POLICY, type RetryPolicy } from './dynamodb-retry.ts';
import { checkNewMatches, seenItems } from './dynamodb-seen-ledger.ts';
import {
  addStoryMember,
  addToSummaries,
  recentSignatures,
  storyMemberItems,
  storyMembers,
  storySummaryWrites,
} from './dynamodb-story-index.ts';
import type { FeedState } from './feed-state-schema.ts';
import type { Feedback, FeedbackPage } from './feedback-schema.ts';
import { CursorCodec } from './match-cursor.ts';
import type { Match, MatchPage, MatchQuery, StoryMember } from './match-schema.ts';
import type {
  AlertChannel,
  AlertClaim,
  DigestEntry,
  LedgerEntry,
  MatchVolume,
  NewMatchCheck,
  ProfileStore,
  QueuedDigestEntry,
  SentAlert,
  Store,
  StorySignature,
  VolumeQuery,
} from './store-ports.ts';

export interface DynamoDbStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Signs pagination cursors (HMAC-SHA256); without it cursors are still checked structurally. */
  cursorSecret?: string;
  /** @default CONFIG_DEFAULTS.retention.matchesDays */
  matchRetentionDays?: number;
  /** @default CONFIG_DEFAULTS.retention.ledgerDays */
  ledgerRetentionDays?: number;
  now?: () => Date;
  /** Throttling and unprocessed-batch retries. @default DEFAULT_RETRY_POLICY */
  retry?: Partial<RetryPolicy>;
  /** Most items one match page examines and queries it sends. @default DEFAULT_PAGE_BUDGET */
  pageBudget?: Partial<PageBudget>;
}

/** The whole Store on one DynamoDB table (layout in docs/storage.md), on AWS, DynamoDB Local or dynalite. */
export class DynamoDbStore implements Store {
  private readonly ctx: DynamoContext;
  private readonly cursors: CursorCodec;
  /** Tokens of the alert leases this instance holds, so it releases only its own. */
  private readonly leases = new Map<string, string>();
  /** The profile overlay's versions, in the same table. */
  readonly profiles: ProfileStore;
  private readonly matchStart: MatchStart;

  constructor(options: DynamoDbStoreOptions) {
    this.ctx = {
      client: options.client,
      tableName: options.tableName,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      now: options.now ?? (() => new Date()),
      matchRetentionDays: options.matchRetentionDays ?? CONFIG_DEFAULTS.retention.matchesDays,
      ledgerRetentionDays: options.ledgerRetentionDays ?? CONFIG_DEFAULTS.retention.ledgerDays,
      // A page must be able to read one bucket, or it could never progress.
      pageBudget: {
        items: Math.max(1, options.pageBudget?.items ?? DEFAULT_PAGE_BUDGET.items),
        queries: Math.max(1, options.pageBudget?.queries ?? DEFAULT_PAGE_BUDGET.queries),
      },
    };
    this.cursors = new CursorCodec(options.cursorSecret);
    this.profiles = new DynamoDbProfileStore(this.ctx);
    this.matchStart = new MatchStart(this.ctx);
  }

  checkNewMatches(entries: LedgerEntry[]): Promise<NewMatchCheck> {
    return checkNewMatches(this.ctx, entries);
  }

  async storeMatches(
    matches: Match[],
    unfinished: Match[],
    seen: LedgerEntry[],
    members: StorySignature[] = [],
  ): Promise<void> {
    await this.writeMatches(matches, members);
    await this.indexMatches(matches, unfinished, seen);
  }

  async writeMatches(matches: Match[], members: StorySignature[]): Promise<void> {
    const unique = [...new Map(matches.map((match) => [match.id, match])).values()];
    await this.matchStart.lowerFor(unique);
    const { summaryItems, toAppend } = storySummaryWrites(this.ctx, members);
    const items = [
      ...summaryItems,
      ...storyMemberItems(this.ctx, members),
      ...unique.map((match) => matchItem(match, this.expiryOf(match))),
    ];
    await batchPutAll(this.ctx.client, this.ctx.tableName, items, this.ctx.retry);
    await addToSummaries(this.ctx, toAppend);
  }

  async indexMatches(matches: Match[], unfinished: Match[], seen: LedgerEntry[]): Promise<void> {
    await this.matchStart.lowerFor([...matches, ...unfinished]);
    const items = [...matches, ...unfinished].flatMap((match) =>
      matchFacetItems(match, this.expiryOf(match)),
    );
    items.push(...seenItems(this.ctx, seen));
    await batchPutAll(this.ctx.client, this.ctx.tableName, items, this.ctx.retry);
  }

  async getMatch(id: string): Promise<Match | undefined> {
    const output = await send(this.ctx, 'GetItem', () =>
      this.ctx.client.send(new GetCommand({ TableName: this.ctx.tableName, Key: KEY.match(id) })),
    );
    if (!output.Item || isExpired(output.Item, nowSeconds(this.ctx))) return undefined;
    const [match] = await withAlsoReportedBy(this.ctx, [matchFromItem(output.Item)]);
    return match;
  }

  async listMatches(query: MatchQuery): Promise<MatchPage> {
    return listMatchPage(this.ctx, this.cursors, query, {
      firstMonth: await this.matchStart.month(),
    });
  }

  async markAlerted(matchId: string, alertedAt: string): Promise<void> {
    // A failed condition means the match expired or never existed: nothing left to mark.
    await sendConditional(this.ctx, 'UpdateItem', () =>
      this.ctx.client.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: KEY.match(matchId),
          UpdateExpression: 'SET alerted = :true, alertedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true, ':at': alertedAt },
        }),
      ),
    );
  }

  getFeedStates(feedIds: string[]): Promise<FeedState[]> {
    return getFeedStates(this.ctx, feedIds);
  }

  putFeedStates(states: FeedState[]): Promise<void> {
    return putFeedStates(this.ctx, states);
  }

  listFeedStates(): Promise<FeedState[]> {
    return listFeedStates(this.ctx);
  }

  readFeedList(): Promise<ListedFeed[] | undefined> {
    return readFeedList(this.ctx);
  }

  seedFeedList(feeds: ListedFeed[]): Promise<boolean> {
    return seedFeedList(this.ctx, feeds);
  }

  addListedFeed(feed: ListedFeed): Promise<boolean> {
    return addListedFeed(this.ctx, feed);
  }

  removeListedFeed(feedId: string): Promise<boolean> {
    return removeListedFeed(this.ctx, feedId);
  }

  recentSignatures(sinceIso: string, limit: number): Promise<StorySignature[]> {
    return recentSignatures(this.ctx, sinceIso, limit);
  }

  addStoryMember(signature: StorySignature): Promise<void> {
    return addStoryMember(this.ctx, signature);
  }

  storyMembers(storyId: string): Promise<StoryMember[]> {
    return storyMembers(this.ctx, storyId);
  }

  async claimAlert(storyId: string, matchId: string, leaseSeconds: number): Promise<AlertClaim> {
    const token = randomUUID();
    const claim = await claimAlert(this.ctx, storyId, matchId, leaseSeconds, token);
    if (claim === 'claimed') this.leases.set(storyId, token);
    return claim;
  }

  markAlertSent(
    storyId: string,
    matchId: string,
    sentAt: string,
    messageId?: string,
    channel?: AlertChannel,
  ): Promise<void> {
    this.leases.delete(storyId);
    return markAlertSent(this.ctx, storyId, matchId, sentAt, messageId, channel);
  }

  async releaseAlert(storyId: string): Promise<void> {
    await releaseAlert(this.ctx, storyId, this.leases.get(storyId));
    this.leases.delete(storyId);
  }

  countAlertsSince(sinceIso: string): Promise<number> {
    return countAlertsSince(this.ctx, sinceIso);
  }

  enqueueDigest(entry: DigestEntry): Promise<void> {
    return enqueueDigest(this.ctx, entry);
  }

  readDigest(limit: number, after?: DigestEntry): Promise<DigestEntry[]> {
    return readDigest(this.ctx, limit, after);
  }

  removeDigest(entries: DigestEntry[]): Promise<void> {
    return removeDigest(this.ctx, entries);
  }

  async listStoryLeads(query: MatchQuery): Promise<MatchPage> {
    return listMatchPage(this.ctx, this.cursors, query, {
      leadsOnly: true,
      firstMonth: await this.matchStart.month(),
    });
  }

  storyAlerts(storyIds: string[]): Promise<Map<string, SentAlert>> {
    return storyAlerts(this.ctx, storyIds);
  }

  async matchVolume(query: VolumeQuery): Promise<MatchVolume> {
    return matchVolume(this.ctx, query, await this.matchStart.month());
  }

  listSentAlerts(sinceIso: string, untilIso: string, limit: number): Promise<SentAlert[]> {
    return listSentAlerts(this.ctx, sinceIso, untilIso, limit);
  }

  listDigestQueue(limit: number): Promise<QueuedDigestEntry[]> {
    return listDigestQueue(this.ctx, limit);
  }

  getFeedback(id: string): Promise<Feedback | undefined> {
    return getFeedback(this.ctx, id);
  }

  putFeedback(feedback: Feedback, expectedGradedAt?: string): Promise<boolean> {
    return putFeedback(this.ctx, feedback, expectedGradedAt);
  }

  listFeedback(query: { limit: number; cursor?: string }): Promise<FeedbackPage> {
    return listFeedback(this.ctx, query);
  }

  /** When a match and everything written for it expire: its stored time plus the retention. */
  private expiryOf(match: Match): number {
    return expiryAfter(match.storedAt, this.ctx.matchRetentionDays);
  }
}

export interface CreateDynamoStoreOptions {
  /** A DynamoDB Local, dynalite or other endpoint; absent for AWS. */
  endpoint?: string;
  region?: string;
  tableName: string;
  cursorSecret?: string;
  matchRetentionDays?: number;
  ledgerRetentionDays?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Builds the clients and the store; a local endpoint gets dummy credentials and region 'local'. */
export function createDynamoStore(options: CreateDynamoStoreOptions): DynamoDbStore {
  return new DynamoDbStore({
    client: documentClientFor(options),
    tableName: options.tableName,
    cursorSecret: options.cursorSecret,
    matchRetentionDays: options.matchRetentionDays,
    ledgerRetentionDays: options.ledgerRetentionDays,
  });
}

/** The document client the store options name; a local endpoint gets dummy credentials and region 'local'. */
export function documentClientFor(
  options: Pick<CreateDynamoStoreOptions, 'endpoint' | 'region' | 'credentials'>,
): DynamoDBDocumentClient {
  const local = options.endpoint !== undefined && isLocalEndpoint(options.endpoint);
  const client = new DynamoDBClient({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : local ? { region: 'local' } : {}),
    ...(options.credentials
      ? { credentials: options.credentials }
      : local
        ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

function isLocalEndpoint(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}

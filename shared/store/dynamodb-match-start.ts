import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type DynamoContext, send, sendConditional } from './dynamodb-context.ts';
import { INDEX_PK, KEY, liveMonths, monthOf } from './dynamodb-keys.ts';

/** A start item that does not name a month bounds nothing: the walk falls back to the retention. */
const MatchStartItemSchema = z.object({ month: z.string().regex(/^\d{4}-\d{2}$/) });

/**
 * The earliest month any match was stored in, kept as one item (`MATCH-START`) so that a listing
 * walks no month before it: on a young table the empty months back to the retention bound would
 * each cost a query. Writers lower it before their matches land, so a reader that sees a match
 * also sees a start at or before its month. It only moves earlier, so a process reads it once.
 */
export class MatchStart {
  /** The stored month as this process last read or wrote it. */
  private known: string | undefined;
  /** A month the stored start is known to be at or before: writes from there on change nothing. */
  private covered: string | undefined;

  constructor(private readonly ctx: DynamoContext) {}

  /**
   * The month a listing need not walk past; undefined while the table has no start, which is a
   * table no match was written to, or one whose matches a store without it wrote.
   */
  async month(): Promise<string | undefined> {
    this.known ??= await this.read();
    return this.known;
  }

  /** Lowers the start, if need be, to the month of the earliest of these matches before they land. */
  async lowerFor(matches: readonly { storedAt: string }[]): Promise<void> {
    const [earliest] = matches.map((match) => monthOf(match.storedAt)).sort();
    if (earliest !== undefined) await this.lowerTo(earliest);
  }

  private async lowerTo(month: string): Promise<void> {
    if (this.covered !== undefined && this.covered <= month) return;
    let target = month;
    if (this.covered === undefined) {
      const stored = await this.month();
      if (stored !== undefined && stored <= month) {
        this.covered = stored;
        return;
      }
      // No start yet: matches a store without it wrote may lie in older months.
      if (stored === undefined) target = await this.earliestHeld(month);
    }
    const lowered = await sendConditional(this.ctx, 'PutItem', () =>
      this.ctx.client.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: { ...KEY.matchStart(), entity: 'match-start', month: target },
          ConditionExpression: 'attribute_not_exists(pk) OR #month > :month',
          ExpressionAttributeNames: { '#month': 'month' },
          ExpressionAttributeValues: { ':month': target },
        }),
      ),
    );
    this.covered = target;
    // Not lowered: another writer's start is earlier still, and this process does not know it.
    this.known = lowered ? target : undefined;
  }

  private async read(): Promise<string | undefined> {
    const output = await send(this.ctx, 'GetItem', () =>
      this.ctx.client.send(
        new GetCommand({
          TableName: this.ctx.tableName,
          Key: KEY.matchStart(),
          ConsistentRead: true,
        }),
      ),
    );
    return MatchStartItemSchema.safeParse(output.Item).data?.month;
  }

  /**
   * The oldest month before `month` the time index holds a match in, or `month`: asked once per
   * table, by the first writer that finds no start, oldest month first.
   */
  private async earliestHeld(month: string): Promise<string> {
    const older = liveMonths(
      this.ctx.now(),
      this.ctx.matchRetentionDays,
      '0000-00',
      month,
      undefined,
    )
      .filter((candidate) => candidate < month)
      .reverse();
    for (const candidate of older) {
      const output = await send(this.ctx, 'Query', () =>
        this.ctx.client.send(
          new QueryCommand({
            TableName: this.ctx.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': INDEX_PK.matchesByMonth(candidate) },
            Limit: 1,
          }),
        ),
      );
      if ((output.Items ?? []).length > 0) return candidate;
    }
    return month;
  }
}

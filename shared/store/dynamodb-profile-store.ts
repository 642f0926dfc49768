import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type DynamoContext, queryAll, send, sendConditional } from './dynamodb-context.ts';
import { KEY, PROFILE_PK, PROFILE_VERSION_PREFIX } from './dynamodb-keys.ts';
import type { ProfileInUse, ProfileOverlayVersion, ProfileStore } from './store-ports.ts';

const VersionItemSchema = z.object({
  number: z.number().int().positive(),
  overlay: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  note: z.string().optional(),
  profileVersion: z.string(),
});

const PointerItemSchema = z.object({
  number: z.number().int().positive(),
  since: z.string(),
  by: z.string(),
});

/** Two writers adding at once take the same number; the loser takes the next, this many times. */
const MAX_NUMBER_ATTEMPTS = 5;

/**
 * The profile overlay's versions in the `PROFILE` partition: one item per version (never
 * overwritten: every write is conditional on the key being free) and the `IN-USE` pointer.
 */
export class DynamoDbProfileStore implements ProfileStore {
  constructor(private readonly ctx: DynamoContext) {}

  async listProfileVersions(): Promise<ProfileOverlayVersion[]> {
    const items = await queryAll(this.ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': PROFILE_PK, ':prefix': PROFILE_VERSION_PREFIX },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items.map((item) => fromItem(VersionItemSchema.parse(item)));
  }

  async getProfileVersion(number: number): Promise<ProfileOverlayVersion | undefined> {
    const output = await send(this.ctx, 'GetItem', () =>
      this.ctx.client.send(
        new GetCommand({
          TableName: this.ctx.tableName,
          Key: KEY.profileVersion(number),
          ConsistentRead: true,
        }),
      ),
    );
    return output.Item ? fromItem(VersionItemSchema.parse(output.Item)) : undefined;
  }

  async addProfileVersion(
    version: Omit<ProfileOverlayVersion, 'number'>,
  ): Promise<ProfileOverlayVersion> {
    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      const number = (await this.lastNumber()) + 1;
      const stored = { ...version, number };
      if (await this.putNew(stored)) return stored;
    }
    throw new Error(
      `could not number a new profile version: ${MAX_NUMBER_ATTEMPTS} other writers got there first`,
    );
  }

  async profileInUse(): Promise<ProfileInUse | undefined> {
    const output = await send(this.ctx, 'GetItem', () =>
      this.ctx.client.send(
        new GetCommand({
          TableName: this.ctx.tableName,
          Key: KEY.profileInUse(),
          ConsistentRead: true,
        }),
      ),
    );
    if (!output.Item) return undefined;
    const { number, since, by } = PointerItemSchema.parse(output.Item);
    return { number, since, by };
  }

  async useProfileVersion(pointer: ProfileInUse): Promise<boolean> {
    if (!(await this.getProfileVersion(pointer.number))) return false;
    await this.putPointer(pointer, false);
    return true;
  }

  async seedProfileVersion(version: Omit<ProfileOverlayVersion, 'number'>): Promise<ProfileInUse> {
    const existing = await this.profileInUse();
    if (existing) return existing;
    // A racing seeder may have written version 1 first: theirs and ours come from the same
    // bundled file, so either serves.
    await this.putNew({ ...version, number: 1 });
    const pointer = { number: 1, since: version.createdAt, by: version.createdBy };
    if (await this.putPointer(pointer, true)) return pointer;
    return (await this.profileInUse()) ?? pointer;
  }

  private async lastNumber(): Promise<number> {
    const [last] = await queryAll(
      this.ctx,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': PROFILE_PK, ':prefix': PROFILE_VERSION_PREFIX },
        ScanIndexForward: false,
        ConsistentRead: true,
        ProjectionExpression: '#number',
        ExpressionAttributeNames: { '#number': 'number' },
      },
      1,
    );
    return last ? VersionItemSchema.shape.number.parse(last.number) : 0;
  }

  private putNew(version: ProfileOverlayVersion): Promise<boolean> {
    return sendConditional(this.ctx, 'PutItem', () =>
      this.ctx.client.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: { ...KEY.profileVersion(version.number), entity: 'profile-version', ...version },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  private putPointer(pointer: ProfileInUse, onlyIfAbsent: boolean): Promise<boolean> {
    return sendConditional(this.ctx, 'PutItem', () =>
      this.ctx.client.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: { ...KEY.profileInUse(), entity: 'profile-in-use', ...pointer },
          ...(onlyIfAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        }),
      ),
    );
  }
}

function fromItem(item: z.infer<typeof VersionItemSchema>): ProfileOverlayVersion {
  const { number, overlay, createdAt, createdBy, note, profileVersion } = item;
  return { number, overlay, createdAt, createdBy, profileVersion, ...(note ? { note } : {}) };
}

import { EnvName } from '#shared/config/lambda-env.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import { createDynamoStore, type DynamoDbStore } from '#shared/store/dynamodb-store.ts';

/** The table and retention variables every function that stores reads (lambda-env.ts). */
interface StoreEnv {
  [EnvName.tableName]: string;
  [EnvName.matchRetentionDays]?: number;
  [EnvName.ledgerRetentionDays]?: number;
}

/** The profile's seeds and threshold overrides (lambda-env.ts). */
interface ProfileEnv {
  [EnvName.seedsDir]: string;
  [EnvName.matchThreshold]?: number;
  [EnvName.alertThreshold]?: number;
}

/** The DynamoDB store a function's validated environment names. */
export function storeFromEnv(
  env: StoreEnv,
  options: {
    endpoint?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  } = {},
): DynamoDbStore {
  return createDynamoStore({
    tableName: env[EnvName.tableName],
    matchRetentionDays: env[EnvName.matchRetentionDays],
    ledgerRetentionDays: env[EnvName.ledgerRetentionDays],
    ...options,
  });
}

/** The topic profile from the bundled seeds, with the environment's threshold overrides. */
export function profileFromEnv(env: ProfileEnv): Promise<TopicProfile> {
  return loadProfile(env[EnvName.seedsDir], {
    thresholds: { match: env[EnvName.matchThreshold], alert: env[EnvName.alertThreshold] },
  });
}

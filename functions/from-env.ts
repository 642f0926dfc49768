import { EnvName } from '#shared/config/lambda-env.ts';
import { createFeedListService, type FeedListService } from '#shared/feeds/feed-list-service.ts';
import { loadFeedList } from '#shared/feeds/load-feed-list.ts';
import { createProfileSource, type ProfileSource } from '#shared/profile/profile-in-use.ts';
import { createDynamoStore, type DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { FeedListStore } from '#shared/store/store-ports.ts';

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

/**
 * The profile in use: the bundled seeds with the overlay version the store's pointer names
 * (version 1 seeded from the bundled `profile.json`), and the environment's threshold overrides.
 */
export function profileSourceFromEnv(env: ProfileEnv, store: DynamoDbStore): ProfileSource {
  return createProfileSource({
    profiles: store.profiles,
    seedsDir: env[EnvName.seedsDir],
    thresholds: { match: env[EnvName.matchThreshold], alert: env[EnvName.alertThreshold] },
  });
}

/**
 * The stored feed list, seeded from the bundled feed list when the store never held one. Deployed,
 * no feed may point at a private, loopback or link-local address.
 */
export function feedListFromEnv(
  env: { [EnvName.feedsFile]: string },
  store: FeedListStore,
): FeedListService {
  return createFeedListService({
    store,
    seed: () => loadFeedList(env[EnvName.feedsFile]),
    allowPrivateNetwork: false,
  });
}

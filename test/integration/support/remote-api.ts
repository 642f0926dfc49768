import type { ApiRouter } from '#shared/api/api-types.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { createEmbeddedTestStore } from './dynamo-table.ts';
import { type SignedApiStandIn, startSignedApiStandIn } from './signed-api-stand-in.ts';

/** A deployed API as `--remote` reaches it: the signed stand-in serving a fresh embedded store. */
export interface RemoteApi extends SignedApiStandIn {
  store: DynamoDbStore;
}

/**
 * Starts the stand-in over a fresh embedded store, with the API `routerFor` builds on that store;
 * `close` stops the stand-in and then the store.
 */
export async function startRemoteApi(
  routerFor: (store: DynamoDbStore) => ApiRouter | Promise<ApiRouter>,
): Promise<RemoteApi> {
  const embedded = await createEmbeddedTestStore();
  const api = await startSignedApiStandIn(await routerFor(embedded.store));
  return {
    ...api,
    store: embedded.store,
    close: async () => {
      await api.close();
      await embedded.close();
    },
  };
}

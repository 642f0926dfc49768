import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createApiRouter } from '#shared/api/api-router.ts';
import { ApiEnvSchema, EnvName, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { logger } from '#shared/observability/observability.ts';
import { createDynamoStoreWithTableKey } from '#shared/store/dynamodb-cursor-key.ts';
import { feedListFromEnv, profileSourceFromEnv } from '../from-env.ts';
import { toApiRequest, toProxyResult } from './api-gateway-mapping.ts';

export type ApiFunction = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<APIGatewayProxyResult>;

export interface ApiFunctionOptions {
  /** A DynamoDB Local or dynalite endpoint, and the credentials it takes (tests). */
  dynamoEndpoint?: string;
  dynamoCredentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Builds the api function from its environment: validated config, the DynamoDB store with the
 * cursor key kept in its table, the profile from the bundled seeds, and the shared router.
 */
export async function createApiFunction(
  env: Record<string, string | undefined>,
  options: ApiFunctionOptions = {},
): Promise<ApiFunction> {
  const config = readLambdaEnv(ApiEnvSchema, env);
  const store = await createDynamoStoreWithTableKey({
    tableName: config[EnvName.tableName],
    matchRetentionDays: config[EnvName.matchRetentionDays],
    ledgerRetentionDays: config[EnvName.ledgerRetentionDays],
    endpoint: options.dynamoEndpoint,
    credentials: options.dynamoCredentials,
  });
  const profiles = profileSourceFromEnv(config, store);
  const router = createApiRouter({
    store,
    profile: () => profiles.current(),
    profileVersions: { profiles: store.profiles, seedsDir: config[EnvName.seedsDir] },
    feeds: feedListFromEnv(config, store),
    corsOrigins: config[EnvName.corsOrigins],
    log: (entry) => logger.error('api request failed', { failure: entry }),
  });
  return async (event, context) =>
    toProxyResult(await router(toApiRequest(event, context.awsRequestId)));
}

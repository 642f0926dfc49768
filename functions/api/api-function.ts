import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createApiRouter } from '#shared/api/api-router.ts';
import { ApiEnvSchema, EnvName, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { logger } from '#shared/observability/observability.ts';
import { feedListFromEnv, profileFromEnv, storeFromEnv } from '../from-env.ts';
import { toApiRequest, toProxyResult } from './api-gateway-mapping.ts';
import { readCursorSecret, type SecretReader, secretsManagerReader } from './cursor-secret.ts';

export type ApiFunction = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<APIGatewayProxyResult>;

export interface ApiFunctionOptions {
  /** A DynamoDB Local or dynalite endpoint, and the credentials it takes (tests). */
  dynamoEndpoint?: string;
  dynamoCredentials?: { accessKeyId: string; secretAccessKey: string };
  /** Where the cursor key is read from. @default Secrets Manager */
  readSecret?: SecretReader;
}

/**
 * Builds the api function from its environment: validated config, the cursor key from its
 * secret, the DynamoDB store, the profile from the bundled seeds, and the shared router.
 */
export async function createApiFunction(
  env: Record<string, string | undefined>,
  options: ApiFunctionOptions = {},
): Promise<ApiFunction> {
  const config = readLambdaEnv(ApiEnvSchema, env);
  const cursorSecret = await readCursorSecret(
    options.readSecret ?? secretsManagerReader(),
    config[EnvName.cursorSecretArn],
  );
  const store = storeFromEnv(config, {
    endpoint: options.dynamoEndpoint,
    credentials: options.dynamoCredentials,
    cursorSecret,
  });
  const profile = await profileFromEnv(config);
  const router = createApiRouter({
    store,
    profile: () => profile,
    feeds: feedListFromEnv(config, store),
    corsOrigins: config[EnvName.corsOrigins],
    log: (entry) => logger.error('api request failed', { failure: entry }),
  });
  return async (event, context) =>
    toProxyResult(await router(toApiRequest(event, context.awsRequestId)));
}

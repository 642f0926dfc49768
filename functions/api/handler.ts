import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { z } from 'zod';
import { createApiRouter } from '#shared/api/api-router.ts';
import type { ApiRouter } from '#shared/api/api-types.ts';
import { ApiEnvSchema, EnvName, readLambdaEnv } from '#shared/config/lambda-env.ts';
import { logger, withObservability } from '#shared/observability/observability.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createDynamoStore } from '#shared/store/dynamodb-store.ts';
import { toApiRequest, toProxyResult } from './api-gateway-mapping.ts';

/**
 * The api function's environment: the shared schema, plus an optional key that signs pagination
 * cursors (HMAC); without it cursors are still bound to their query, only not signed.
 */
const ApiFunctionEnvSchema = ApiEnvSchema.extend({
  CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
});

export type ApiFunction = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<APIGatewayProxyResult>;

/**
 * Builds the api function from its environment: validated config, the DynamoDB store, the
 * profile from the bundled seeds, and the shared router. `dynamoEndpoint` is for tests.
 */
export async function createApiFunction(
  env: Record<string, string | undefined>,
  options: { dynamoEndpoint?: string } = {},
): Promise<ApiFunction> {
  const config = readLambdaEnv(ApiFunctionEnvSchema, env);
  const store = createDynamoStore({
    tableName: config[EnvName.tableName],
    endpoint: options.dynamoEndpoint,
    cursorSecret: config.CURSOR_SECRET,
    matchRetentionDays: config[EnvName.matchRetentionDays],
    ledgerRetentionDays: config[EnvName.ledgerRetentionDays],
  });
  const profile = await loadProfile(config[EnvName.seedsDir], {
    thresholds: { match: config[EnvName.matchThreshold], alert: config[EnvName.alertThreshold] },
  });
  const router: ApiRouter = createApiRouter({
    store,
    profile: () => profile,
    corsOrigins: config[EnvName.corsOrigins],
    log: (entry) => logger.error('api request failed', { failure: entry }),
  });
  return async (event, context) =>
    toProxyResult(await router(toApiRequest(event, context.awsRequestId)));
}

let ready: Promise<ApiFunction> | undefined;

/** Built on the first invocation and kept; a failed build is retried by the next one. */
function apiFunction(): Promise<ApiFunction> {
  ready ??= createApiFunction(process.env).catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

const observed = withObservability<APIGatewayProxyEvent, APIGatewayProxyResult>(
  async (event, context) => (await apiFunction())(event, context),
  { name: 'api', correlationId: (event) => event.requestContext?.requestId },
);

/** API Gateway (REST, proxy integration) entry point. */
export async function handler(
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<APIGatewayProxyResult> {
  return observed(event, context);
}

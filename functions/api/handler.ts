import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withObservability } from '#shared/observability/observability.ts';
import { lazyOnce } from '../lazy-once.ts';
import { createApiFunction } from './api-function.ts';

// Built on the first invocation (it reads the cursor key from the table) and kept.
const apiFunction = lazyOnce(() => createApiFunction(process.env));

/** API Gateway (REST, proxy integration) entry point. */
export const handler = withObservability<APIGatewayProxyEvent, APIGatewayProxyResult>(
  async (event, context) => (await apiFunction())(event, context),
  { name: 'api', correlationId: (event) => event.requestContext?.requestId },
);

import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '#shared/api/api-types.ts';

/** An API Gateway REST (v1 proxy) event as the transport-neutral request the router takes. */
export function toApiRequest(event: APIGatewayProxyEvent, fallbackRequestId: string): ApiRequest {
  const query: ApiRequest['query'] = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    query[name] = value;
  }
  // The multi-value form is the complete one: a repeated parameter must reach validation as such.
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values && values.length > 1) query[name] = values;
  }
  const headers: ApiRequest['headers'] = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  return {
    method: event.httpMethod,
    path: event.path,
    query,
    headers,
    ...(event.body == null
      ? {}
      : {
          body: event.isBase64Encoded
            ? Buffer.from(event.body, 'base64').toString('utf8')
            : event.body,
        }),
    requestId: event.requestContext?.requestId || fallbackRequestId,
  };
}

/** The router's response as the proxy integration's result. */
export function toProxyResult(response: ApiResponse): APIGatewayProxyResult {
  return {
    statusCode: response.status,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: false,
  };
}

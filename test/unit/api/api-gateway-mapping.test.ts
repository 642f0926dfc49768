import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toApiRequest, toProxyResult } from '#functions/api/api-gateway-mapping.ts';

function event(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/matches',
    resource: '/{proxy+}',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'gw-request-1' } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

describe('API Gateway proxy mapping', () => {
  it('carries method, path, request id and lower-cased headers to the router', () => {
    const request = toApiRequest(
      event({ httpMethod: 'GET', path: '/feeds', headers: { Origin: 'https://app.example' } }),
      'lambda-request',
    );

    expect(request).toEqual({
      method: 'GET',
      path: '/feeds',
      query: {},
      headers: { origin: 'https://app.example' },
      requestId: 'gw-request-1',
    });
  });

  it('keeps a repeated query parameter as a list so validation can refuse it', () => {
    const request = toApiRequest(
      event({
        queryStringParameters: { facet: 'energy', limit: '5' },
        multiValueQueryStringParameters: { facet: ['trade', 'energy'], limit: ['5'] },
      }),
      'lambda-request',
    );

    expect(request.query).toEqual({ facet: ['trade', 'energy'], limit: '5' });
  });

  it('passes the body on, decoded when API Gateway sent it in base64', () => {
    const json = '{"grade":2,"note":"naïve"}';
    expect(toApiRequest(event({ httpMethod: 'POST', body: json }), 'l').body).toBe(json);
    expect(
      toApiRequest(
        event({
          httpMethod: 'POST',
          body: Buffer.from(json, 'utf8').toString('base64'),
          isBase64Encoded: true,
        }),
        'l',
      ).body,
    ).toBe(json);
    expect(toApiRequest(event({ body: null }), 'l')).not.toHaveProperty('body');
  });

  it('carries the body, decoded when API Gateway base64-encoded it, and the signer', () => {
    const body = JSON.stringify({ version: 2 });
    const identity = { userArn: 'arn:aws:iam::123456789012:user/ana' };
    const plain = toApiRequest(
      event({
        httpMethod: 'PUT',
        path: '/profile/in-use',
        body,
        requestContext: { requestId: 'r', identity } as APIGatewayProxyEvent['requestContext'],
      }),
      'lambda-request',
    );
    const encoded = toApiRequest(
      event({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true }),
      'lambda-request',
    );

    expect(plain).toMatchObject({ body, caller: identity.userArn });
    expect(encoded.body).toBe(body);
    expect(encoded.caller).toBeUndefined();
  });

  it('falls back to the Lambda request id when the event has none', () => {
    const request = toApiRequest(
      event({ requestContext: {} as APIGatewayProxyEvent['requestContext'] }),
      'lambda-request',
    );

    expect(request.requestId).toBe('lambda-request');
  });

  it('returns the router response as a proxy result', () => {
    expect(
      toProxyResult({
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
        body: '{}',
      }),
    ).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: '{}',
      isBase64Encoded: false,
    });
  });
});

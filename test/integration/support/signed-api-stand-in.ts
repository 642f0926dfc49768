import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ApiRouter } from '#shared/api/api-types.ts';

export const STAND_IN_REGION = 'eu-west-1';
export const STAND_IN_STAGE = '/prod';

/** Credentials the stand-in accepts; requests signed with any other secret are refused. */
export const STAND_IN_CREDENTIALS = {
  accessKeyId: 'AKIDNEWSWATCHTEST',
  secretAccessKey: 'stand-in-secret-key-for-signing-tests',
  sessionToken: 'stand-in-session-token',
};

/**
 * The environment a CLI process needs to sign for the stand-in: its credentials and region, and
 * no shared config, profile or instance metadata that could take over.
 */
export const STAND_IN_SIGNED_ENV = {
  AWS_ACCESS_KEY_ID: STAND_IN_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: STAND_IN_CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: STAND_IN_CREDENTIALS.sessionToken,
  AWS_REGION: STAND_IN_REGION,
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent/newswatch-test-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/newswatch-test-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Who API Gateway says signed the requests (`requestContext.identity.userArn`). */
export const STAND_IN_CALLER = 'arn:aws:iam::123456789012:user/stand-in';

export interface SignedApiStandIn {
  /** The base URL as a stack output would give it, stage included. */
  url: string;
  /** Every request's verdict, in order. */
  verdicts: { path: string; verified: boolean; signedHeaders: string[] }[];
  close(): Promise<void>;
}

/**
 * A stand-in for API Gateway with IAM authorization: it checks each request's SigV4 signature by
 * signing the same request again with the AWS SDK's own signer and the known secret, answers 403
 * as API Gateway does when it does not match, and serves the rest from `router` under the stage.
 */
export async function startSignedApiStandIn(router: ApiRouter): Promise<SignedApiStandIn> {
  const verdicts: SignedApiStandIn['verdicts'] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
      const body = await bodyOf(request);
      const check = await verify(request, url, body);
      verdicts.push({ path: url.pathname, ...check });
      if (!check.verified) {
        response.writeHead(403, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            message: request.headers.authorization
              ? 'The request signature we calculated does not match the signature you provided.'
              : 'Missing Authentication Token',
          }),
        );
        return;
      }
      const answer = await router({
        method: request.method ?? 'GET',
        path: url.pathname.slice(STAND_IN_STAGE.length) || '/',
        query: queryOf(url),
        headers: { 'content-type': request.headers['content-type'] },
        requestId: `stand-in-${verdicts.length}`,
        ...(body === '' ? {} : { body }),
        caller: STAND_IN_CALLER,
      });
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    })();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${STAND_IN_STAGE}/`,
    verdicts,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Signs the request again, body included, as API Gateway checks it. */
async function verify(
  request: IncomingMessage,
  url: URL,
  body: string,
): Promise<{ verified: boolean; signedHeaders: string[] }> {
  const authorization = request.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = request.headers['x-amz-date'];
  if (!authorization || typeof amzDate !== 'string') return { verified: false, signedHeaders };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const signer = new SignatureV4({
    service: 'execute-api',
    region: STAND_IN_REGION,
    credentials: STAND_IN_CREDENTIALS,
    sha256: Sha256,
  });
  const expected = await signer.sign(
    {
      method: request.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: decodeURIComponent(url.pathname),
      query: queryOf(url),
      headers,
      ...(body === '' ? {} : { body }),
    },
    { signingDate: parseAmzDate(amzDate) },
  );
  return { verified: expected.headers.authorization === authorization, signedHeaders };
}

/** The query as the router and the signer take it: a repeated parameter as a list. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [previous, value].flat();
  }
  return query;
}

/** `20261207T130501Z` as a Date. */
function parseAmzDate(value: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

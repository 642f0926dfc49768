import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import { cleanText } from '#shared/feeds/text-clean.ts';

/** A request to the deployed API, relative to its base URL (stage included). */
export interface RemoteRequest {
  method: string;
  /** The route's path, e.g. `/matches`; joined to the base URL's own path. */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  /** A JSON body, sent as `application/json` and covered by the signature. */
  body?: string;
}

export interface RemoteResponse {
  status: number;
  contentType: string;
  body: string;
}

/** The port the CLI's remote commands use: one signed request at a time. */
export interface RemoteApi {
  readonly baseUrl: string;
  send(request: RemoteRequest): Promise<RemoteResponse>;
}

/** AWS credentials, as the SDK's providers resolve them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The remote API cannot be used: no credentials, no region, unreachable, or refused. */
export class RemoteApiError extends Error {
  override readonly name = 'RemoteApiError';
}

export interface SignedApiClientOptions {
  /** The API's URL as the stack prints it, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod/`. */
  baseUrl: string;
  /** Wins over the region the host names. */
  region?: string;
  /** Used when neither `region` nor the host names one (a custom domain), e.g. AWS_REGION. */
  defaultRegion?: string;
  /** @default - the SDK's default chain: environment, SSO, shared files, container, instance */
  credentials?: () => Promise<AwsCredentials>;
  /** @default 30000 */
  timeoutMs?: number;
}

const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/**
 * A client for the deployed API that signs every request with SigV4 (service `execute-api`),
 * using the AWS SDK's own signer and credential chain, so the user's usual AWS setup is all it
 * needs.
 */
export function createSignedApiClient(options: SignedApiClientOptions): RemoteApi {
  const base = parseBaseUrl(options.baseUrl);
  const region =
    options.region ?? EXECUTE_API_HOST.exec(base.hostname)?.[1] ?? options.defaultRegion;
  if (!region) {
    throw new RemoteApiError(
      `cannot tell the AWS region of ${base.href} from its host: give it with --region or AWS_REGION`,
    );
  }
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: options.credentials ?? fromNodeProviderChain(),
    sha256: Sha256,
  });
  const basePath = base.pathname.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    baseUrl: base.href,
    async send(request) {
      const query = definedQuery(request.query ?? {});
      const path = `${basePath}${request.path}`;
      const signed = await signer
        .sign({
          method: request.method,
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port ? Number(base.port) : undefined,
          path,
          query,
          headers: {
            host: base.host,
            accept: 'application/json',
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(request.body === undefined ? {} : { body: request.body }),
        })
        .catch((error: unknown) => {
          throw new RemoteApiError(
            `no AWS credentials to sign requests to ${base.href}: ${(error as Error).message} (set AWS_PROFILE, run \`aws sso login\`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
          );
        });
      const url = new URL(path, base);
      for (const [name, value] of Object.entries(query)) {
        for (const one of [value].flat()) url.searchParams.append(name, one);
      }
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method,
          headers: signed.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause?.message;
        throw new RemoteApiError(`cannot reach ${base.href}: ${cause ?? (error as Error).message}`);
      }
      const body = await response.text();
      if (response.status === 401 || response.status === 403) {
        throw new RemoteApiError(
          `the API at ${base.href} refused these credentials (HTTP ${response.status}): ${gatewayMessage(body)}`,
        );
      }
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body,
      };
    },
  };
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteApiError(`--remote: not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RemoteApiError(`--remote: expected an http(s) URL, got ${url.protocol}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new RemoteApiError('--remote: give the API base URL alone, without query or credentials');
  }
  return url;
}

function definedQuery(
  query: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const defined: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) defined[name] = value;
  return defined;
}

/** API Gateway's denials are `{"message": "..."}`; anything else is shown cut short. */
function gatewayMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown; detail?: unknown };
    const message = parsed.message ?? parsed.Message ?? parsed.detail;
    if (typeof message === 'string') return cleanText(message.slice(0, 500));
  } catch {
    // not JSON: fall through to the raw text
  }
  return cleanText(body.slice(0, 500)) || '(no message)';
}

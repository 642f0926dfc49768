import {
  DuplicateFeedError,
  FeedInputError,
  FeedNotListedError,
} from '#shared/feeds/feed-list-errors.ts';
import { ProfileVersionNotFoundError } from '#shared/profile/profile-error.ts';
import {
  InvalidCursorError,
  InvalidMatchQueryError,
  StoreThrottledError,
} from '#shared/store/store-errors.ts';
import {
  InvalidParameterError,
  MethodNotAllowedError,
  MisdirectedRequestError,
  RequestBodyNotAllowedError,
  RequestBodyTooLargeError,
  ResourceNotFoundError,
  RouteNotFoundError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from './api-errors.ts';
import type { Problem } from './api-schemas.ts';
import type { ApiResponse } from './api-types.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem type URIs (RFC 9457 §3.1.1); tag URIs because they name kinds, not pages to fetch. */
export const PROBLEM_TYPES = {
  invalidParameter: 'tag:newswatch,2026:problem:invalid-parameter',
  invalidCursor: 'tag:newswatch,2026:problem:invalid-cursor',
  plain: 'about:blank',
} as const;

/** Where the problem happened and how to report it. */
export interface ProblemContext {
  requestId: string;
  path?: string;
  log?: (entry: object) => void;
}

interface Mapped {
  status: number;
  type?: string;
  title: string;
  detail: string;
  errors?: Problem['errors'];
  headers?: Record<string, string>;
}

/**
 * The one place errors become HTTP: known error classes map to their status and a message that is
 * safe to show; anything else is a generic 500 whose detail goes to the log only.
 */
export function problemResponse(error: unknown, context: ProblemContext): ApiResponse {
  const mapped = mapError(error) ?? internalError(error, context);
  const problem: Problem = {
    type: mapped.type ?? PROBLEM_TYPES.plain,
    title: mapped.title,
    status: mapped.status,
    detail: mapped.detail,
    ...(context.path ? { instance: context.path } : {}),
    requestId: context.requestId,
    ...(mapped.errors ? { errors: mapped.errors } : {}),
  };
  return {
    status: mapped.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...mapped.headers },
    body: JSON.stringify(problem),
  };
}

// Errors whose message is the whole answer: class, status, title.
const PLAIN_ERRORS: [abstract new (...args: never[]) => Error, number, string][] = [
  [RouteNotFoundError, 404, 'Not Found'],
  [ResourceNotFoundError, 404, 'Not Found'],
  [UnauthorizedError, 401, 'Unauthorized'],
  [MisdirectedRequestError, 421, 'Misdirected Request'],
  [RequestBodyNotAllowedError, 413, 'Content Too Large'],
  [RequestBodyTooLargeError, 413, 'Content Too Large'],
  [UnsupportedMediaTypeError, 415, 'Unsupported Media Type'],
  [FeedNotListedError, 404, 'Not Found'],
  [ProfileVersionNotFoundError, 404, 'Not Found'],
  [DuplicateFeedError, 409, 'Conflict'],
];

function mapError(error: unknown): Mapped | undefined {
  if (error instanceof InvalidParameterError) {
    return {
      status: 400,
      type: PROBLEM_TYPES.invalidParameter,
      title: 'Invalid request parameter',
      detail: error.message,
      errors: error.errors,
    };
  }
  // The store's errors are matched by name as well, so a second copy of the module (bundling,
  // tsx and node loading one file twice) cannot slip past as a 500.
  if (error instanceof InvalidCursorError || isNamed(error, 'InvalidCursorError')) {
    const message =
      'not a cursor this API issued for these filters, or no longer valid; repeat the query without a cursor';
    return {
      status: 400,
      type: PROBLEM_TYPES.invalidCursor,
      title: 'Invalid cursor',
      detail: `cursor: ${message}`,
      errors: [{ parameter: 'cursor', message }],
    };
  }
  if (error instanceof InvalidMatchQueryError || isNamed(error, 'InvalidMatchQueryError')) {
    const parameter = String((error as { parameter?: unknown }).parameter ?? 'query');
    return {
      status: 400,
      type: PROBLEM_TYPES.invalidParameter,
      title: 'Invalid request parameter',
      detail: error.message,
      errors: [{ parameter, message: error.message }],
    };
  }
  if (error instanceof FeedInputError) {
    return {
      status: 400,
      type: PROBLEM_TYPES.invalidParameter,
      title: 'Invalid request parameter',
      detail: error.message,
      errors: error.problems.map(({ field, message }) => ({ parameter: field, message })),
    };
  }
  for (const [type, status, title] of PLAIN_ERRORS) {
    if (error instanceof type) return { status, title, detail: error.message };
  }
  if (error instanceof MethodNotAllowedError) {
    return {
      status: 405,
      title: 'Method Not Allowed',
      detail: error.message,
      headers: { allow: error.allow.join(', ') },
    };
  }
  // `serve --remote` forwarding to the deployed API; named, not imported, so the API function's
  // bundle does not carry the signing client.
  if (isNamed(error, 'RemoteApiError')) {
    return { status: 502, title: 'Bad Gateway', detail: error.message };
  }
  if (error instanceof StoreThrottledError || isNamed(error, 'StoreThrottledError')) {
    return {
      status: 503,
      title: 'Service Unavailable',
      detail: 'the store is busy; retry shortly',
      headers: { 'retry-after': '1' },
    };
  }
  return undefined;
}

function internalError(error: unknown, context: ProblemContext): Mapped {
  context.log?.({
    level: 'error',
    message: 'request failed',
    requestId: context.requestId,
    path: context.path,
    error:
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : { value: String(error) },
  });
  return {
    status: 500,
    title: 'Internal Server Error',
    detail: `something went wrong on our side; quote request id ${context.requestId} when reporting it`,
  };
}

function isNamed(error: unknown, name: string): error is Error {
  return error instanceof Error && error.name === name;
}

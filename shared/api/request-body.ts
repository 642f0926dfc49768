import type { z } from 'zod';
import {
  InvalidParameterError,
  type ParameterProblem,
  RequestBodyNotAllowedError,
  UnsupportedMediaTypeError,
} from './api-errors.ts';
import type { ApiRequest } from './api-types.ts';

/**
 * The JSON body of a request, validated against the route's schema; every problem names its
 * field. A route without a schema takes no body. Only `application/json` is read: a cross-site
 * page can send other types without asking (no CORS preflight), so insisting on JSON keeps such
 * pages from writing through a browser. `json` is the body as sent, before defaults were filled.
 */
export function parseJsonBody(
  schema: z.ZodType | undefined,
  request: Pick<ApiRequest, 'body' | 'headers'>,
): { body: unknown; json: unknown } {
  const given = request.body !== undefined && request.body !== '';
  if (!schema) {
    if (given) throw new RequestBodyNotAllowedError();
    return { body: undefined, json: undefined };
  }
  if (!given) {
    throw new InvalidParameterError([{ parameter: 'body', message: 'a JSON body is required' }]);
  }
  requireJsonContentType(headerOf(request.headers, 'content-type'));
  let json: unknown;
  try {
    json = JSON.parse(request.body ?? '');
  } catch {
    throw new InvalidParameterError([{ parameter: 'body', message: 'expected a JSON object' }]);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { body: parsed.data, json };
  const problems: ParameterProblem[] = parsed.error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (keys.length > 0) {
      return keys.map((key) => ({ parameter: key, message: 'unknown field' }));
    }
    return [{ parameter: issue.path.join('.') || 'body', message: issue.message }];
  });
  throw new InvalidParameterError(problems);
}

/**
 * Refuses a body that is not `application/json` (415): the one check that keeps a web page's
 * simple cross-site request (form or `text/plain`, no preflight) from writing anything.
 */
export function requireJsonContentType(contentType: string | undefined): void {
  if (!/^application\/json\s*(;|$)/i.test(contentType?.trim() ?? '')) {
    throw new UnsupportedMediaTypeError(contentType ?? '');
  }
}

function headerOf(headers: ApiRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

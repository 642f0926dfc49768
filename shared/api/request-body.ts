import type { z } from 'zod';
import {
  InvalidParameterError,
  RequestBodyNotAllowedError,
  UnsupportedMediaTypeError,
} from './api-errors.ts';

/**
 * A route's JSON body validated against its schema. JSON only: a cross-site form or `text/plain`
 * post cannot carry it without a CORS preflight, which the API answers for configured origins
 * alone. Each field at fault is named as `body.<field>`.
 */
export function parseJsonBody<S extends z.ZodType>(
  schema: S,
  body: string | undefined,
  contentType: string | undefined,
): z.output<S> {
  if (body === undefined || body === '') {
    throw new InvalidParameterError([{ parameter: 'body', message: 'a JSON body is required' }]);
  }
  requireJsonContentType(contentType);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidParameterError([
      { parameter: 'body', message: `not valid JSON: ${(error as Error).message}` },
    ]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidParameterError(
      parsed.error.issues.map((issue) => ({
        parameter: ['body', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

/**
 * Refuses a body that is not `application/json` (415): the one check that keeps a web page's
 * simple cross-site request (form or `text/plain`, no preflight) from writing anything.
 */
export function requireJsonContentType(contentType: string | undefined): void {
  if (!/^application\/json\s*(;|$)/i.test(contentType?.trim() ?? '')) {
    throw new UnsupportedMediaTypeError(contentType);
  }
}

/** A route without a body refuses one. */
export function refuseBody(body: string | undefined): void {
  if (body !== undefined && body !== '') throw new RequestBodyNotAllowedError();
}

import type { z } from 'zod';
import type { ParameterProblemSchema } from './api-schemas.ts';

/** One request parameter at fault and what was wrong with it, as the problem body lists it. */
export type ParameterProblem = z.infer<typeof ParameterProblemSchema>;

/** One or more request parameters are missing, unknown, repeated or malformed (HTTP 400). */
export class InvalidParameterError extends Error {
  override readonly name = 'InvalidParameterError';
  constructor(readonly errors: ParameterProblem[]) {
    super(errors.map((error) => `${error.parameter}: ${error.message}`).join('; '));
  }
}

/** No route has this path (HTTP 404). */
export class RouteNotFoundError extends Error {
  override readonly name = 'RouteNotFoundError';
  constructor(readonly path: string) {
    super(`no route for ${path}`);
  }
}

/** The route exists but holds no resource with this id (HTTP 404). */
export class ResourceNotFoundError extends Error {
  override readonly name = 'ResourceNotFoundError';
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`no ${kind} with id ${JSON.stringify(id)}`);
  }
}

/** The route exists but not for this method (HTTP 405, with the methods it allows). */
export class MethodNotAllowedError extends Error {
  override readonly name = 'MethodNotAllowedError';
  constructor(
    readonly method: string,
    readonly allow: readonly string[],
  ) {
    super(`${method} is not allowed here; use ${allow.join(', ')}`);
  }
}

/** The request lacks the credentials the server was configured to require (HTTP 401). */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

/** The request carries a body the route does not take, or one too large (HTTP 413). */
export class RequestBodyNotAllowedError extends Error {
  override readonly name = 'RequestBodyNotAllowedError';
  constructor(reason = 'this route takes no request body') {
    super(reason);
  }
}

/** The Host header names a server other than this one, as DNS rebinding makes it (HTTP 421). */
export class MisdirectedRequestError extends Error {
  override readonly name = 'MisdirectedRequestError';
  constructor(host: string | undefined) {
    super(
      host === undefined
        ? 'the request has no Host header; this server answers only to localhost'
        : `this server answers only to localhost, 127.0.0.1 and [::1] on its port, not to Host ${JSON.stringify(host.slice(0, 300))}`,
    );
  }
}

/** A request body that is not `application/json` where the route takes JSON (HTTP 415). */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(contentType: string | undefined) {
    super(
      `the body must be application/json, not ${contentType ? JSON.stringify(contentType.slice(0, 100)) : 'untyped'}`,
    );
  }
}

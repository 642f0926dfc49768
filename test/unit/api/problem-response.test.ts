import { describe, expect, it } from 'vitest';
import {
  InvalidParameterError,
  MethodNotAllowedError,
  RequestBodyNotAllowedError,
  ResourceNotFoundError,
  RouteNotFoundError,
  UnauthorizedError,
} from '#shared/api/api-errors.ts';
import { problemResponse } from '#shared/api/problem-response.ts';
import {
  InvalidCursorError,
  InvalidMatchQueryError,
  StoreThrottledError,
} from '#shared/store/store-errors.ts';

const context = { requestId: 'req-42', path: '/matches' };

function body(error: unknown, log?: (entry: object) => void): Record<string, unknown> {
  return JSON.parse(problemResponse(error, { ...context, log }).body) as Record<string, unknown>;
}

describe('problem responses', () => {
  it('writes RFC 9457 members, the request path and the request id', () => {
    const response = problemResponse(new RouteNotFoundError('/x'), context);

    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no route for /x',
      instance: '/matches',
      requestId: 'req-42',
    });
  });

  it('maps invalid parameters to 400 with each parameter and what was wrong', () => {
    const error = new InvalidParameterError([{ parameter: 'limit', message: 'too big' }]);

    const response = problemResponse(error, context);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      detail: 'limit: too big',
      errors: [{ parameter: 'limit', message: 'too big' }],
    });
  });

  it('maps the store’s invalid cursor to 400 naming the cursor, without the internal reason', () => {
    const response = problemResponse(new InvalidCursorError('signature does not match'), context);

    expect(response.status).toBe(400);
    expect(response.body).not.toContain('signature');
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'tag:newswatch,2026:problem:invalid-cursor',
      errors: [{ parameter: 'cursor' }],
    });
  });

  it('recognises an invalid cursor by its class name when it comes from another copy of the module', () => {
    const foreign = Object.assign(new Error('invalid cursor: malformed'), {
      name: 'InvalidCursorError',
    });

    expect(problemResponse(foreign, context).status).toBe(400);
  });

  it('maps a query the store cannot run to 400 naming its parameter', () => {
    const response = problemResponse(new InvalidMatchQueryError('since', 'not a date'), context);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { parameter: 'since', message: 'invalid since: not a date' },
    ]);
  });

  it('maps a missing resource to 404', () => {
    expect(problemResponse(new ResourceNotFoundError('match', 'm1'), context).status).toBe(404);
  });

  it('maps a refused method to 405 with the Allow header', () => {
    const response = problemResponse(new MethodNotAllowedError('PUT', ['GET', 'HEAD']), context);

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it('maps missing local credentials to 401', () => {
    expect(problemResponse(new UnauthorizedError('no key'), context).status).toBe(401);
  });

  it('maps a request body to 413', () => {
    expect(problemResponse(new RequestBodyNotAllowedError(), context).status).toBe(413);
  });

  it('maps store throttling to 503 with Retry-After', () => {
    const response = problemResponse(new StoreThrottledError('Query', 5), context);

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
  });

  it('turns anything else into a generic 500 whose detail only the log sees', () => {
    const logged: object[] = [];
    const secret = new Error(
      'AccessDeniedException: arn:aws:dynamodb:eu-west-1:123456789012:table/x',
    );

    const problem = body(secret, (entry) => logged.push(entry));

    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'something went wrong on our side; quote request id req-42 when reporting it',
      instance: '/matches',
      requestId: 'req-42',
    });
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'error',
        requestId: 'req-42',
        error: expect.objectContaining({ message: secret.message, stack: secret.stack }),
      }),
    ]);
  });

  it('handles a thrown value that is not an Error as a 500', () => {
    expect(body('boom')).toMatchObject({ status: 500 });
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InvalidParameterError,
  RequestBodyNotAllowedError,
  UnsupportedMediaTypeError,
} from '#shared/api/api-errors.ts';
import { parseJsonBody, refuseBody } from '#shared/api/request-body.ts';

const Schema = z.strictObject({ url: z.string(), tags: z.array(z.string()).default([]) });

describe('JSON request bodies', () => {
  it('parses a JSON body against its schema, whatever the charset parameter', () => {
    expect(parseJsonBody(Schema, '{"url":"u"}', 'application/json; charset=utf-8')).toEqual({
      url: 'u',
      tags: [],
    });
  });

  it.each([
    [undefined, 'application/json', 'body'],
    ['{"url": 1}', 'application/json', 'body.url'],
    ['{"url": "u", "tags": [1]}', 'application/json', 'body.tags.0'],
    ['{"url": "u", "more": 1}', 'application/json', 'body'],
    ['not json', 'application/json', 'body'],
  ])('refuses %s naming %s', (body, type, parameter) => {
    const error = (() => {
      try {
        parseJsonBody(Schema, body, type);
      } catch (thrown) {
        return thrown;
      }
    })();

    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).errors[0]?.parameter).toBe(parameter);
  });

  it.each([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonp'])(
    'refuses the content type %s with 415',
    (type) => {
      expect(() => parseJsonBody(Schema, '{"url":"u"}', type)).toThrow(UnsupportedMediaTypeError);
    },
  );

  it('refuses a body on a route that takes none', () => {
    expect(() => refuseBody('x')).toThrow(RequestBodyNotAllowedError);
    expect(() => refuseBody('')).not.toThrow();
  });
});

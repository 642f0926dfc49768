import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InvalidParameterError,
  RequestBodyNotAllowedError,
  UnsupportedMediaTypeError,
} from '#shared/api/api-errors.ts';
import { parseJsonBody } from '#shared/api/request-body.ts';

const Schema = z.strictObject({ url: z.string(), tags: z.array(z.string()).default([]) });

function request(body: string | undefined, type: string | undefined) {
  return { body, headers: type === undefined ? {} : { 'Content-Type': type } };
}

describe('JSON request bodies', () => {
  it('parses a JSON body against its schema, whatever the charset parameter', () => {
    expect(
      parseJsonBody(Schema, request('{"url":"u"}', 'application/json; charset=utf-8')),
    ).toEqual({ body: { url: 'u', tags: [] }, json: { url: 'u' } });
  });

  it.each([
    [undefined, 'application/json', 'body'],
    ['{"url": 1}', 'application/json', 'url'],
    ['{"url": "u", "tags": [1]}', 'application/json', 'tags.0'],
    ['{"url": "u", "more": 1}', 'application/json', 'more'],
    ['not json', 'application/json', 'body'],
  ])('refuses %s naming %s', (body, type, parameter) => {
    const error = (() => {
      try {
        parseJsonBody(Schema, request(body, type));
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
      expect(() => parseJsonBody(Schema, request('{"url":"u"}', type))).toThrow(
        UnsupportedMediaTypeError,
      );
    },
  );

  it('refuses a body on a route that takes none', () => {
    expect(() => parseJsonBody(undefined, request('x', undefined))).toThrow(
      RequestBodyNotAllowedError,
    );
    expect(parseJsonBody(undefined, request('', undefined)).body).toBeUndefined();
  });
});

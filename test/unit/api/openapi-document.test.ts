import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '#shared/api/api-routes.ts';
import { MatchListParametersSchema } from '#shared/api/api-schemas.ts';
import { buildOpenApiDocument } from '#shared/api/openapi-document.ts';
import { sampleFeedState, sampleMatch } from '../../fixtures/api/api-test-data.ts';
import { allReferences, documentedResponseSchema } from '../../fixtures/api/openapi-validator.ts';
import { json, routerHarness } from './router-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: the document is walked as free-form JSON
const document = buildOpenApiDocument() as any;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with SigV4 as the security scheme', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.security).toEqual([{ sigv4: [] }]);
    expect(document.components.securitySchemes.sigv4).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    });
  });

  it('describes exactly the routes the router serves, each under its method', () => {
    expect(Object.keys(document.paths)).toEqual([
      ...new Set(API_ROUTES.map((route) => route.path)),
    ]);
    for (const path of Object.keys(document.paths)) {
      expect(Object.keys(document.paths[path]).sort()).toEqual(
        API_ROUTES.filter((route) => route.path === path)
          .map((route) => (route.method ?? 'GET').toLowerCase())
          .sort(),
      );
    }
    expect(Object.keys(document.paths['/feeds'])).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/feeds/{id}'])).toEqual(['delete']);
  });

  it('describes the body of POST /feeds and the statuses of the feed list edits', () => {
    const post = document.paths['/feeds'].post;
    const body = post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['url']);
    expect(Object.keys(body.properties)).toEqual(['url', 'name', 'tags']);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '409', '415']),
    );
    const remove = document.paths['/feeds/{id}'].delete;
    expect(remove.responses['204']).toEqual({ description: 'Removed.' });
    expect(Object.keys(remove.responses)).toContain('404');
  });

  it('describes the body a writing route takes and its 201', () => {
    const grade = document.paths['/matches/{id}/feedback'].post;
    const body = grade.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['grade']);
    expect(Object.keys(body.properties)).toEqual(['grade', 'note']);
    expect(Object.keys(grade.responses)).toContain('201');
  });

  it('describes the body and the 201 of adding a profile overlay version', () => {
    const post = document.paths['/profile/versions'].post as {
      requestBody: { content: Record<string, { schema: { properties: object } }> };
      responses: Record<string, unknown>;
    };
    expect(
      Object.keys(post.requestBody.content['application/json']?.schema.properties ?? {}),
    ).toEqual(['overlay', 'note']);
    expect(Object.keys(post.responses)).toContain('201');
  });

  it('lists every query parameter of GET /matches the validator accepts, with its bounds', () => {
    const parameters = document.paths['/matches'].get.parameters as {
      name: string;
      schema: Record<string, unknown>;
    }[];

    expect(parameters.map((parameter) => parameter.name)).toEqual(
      Object.keys(MatchListParametersSchema.shape),
    );
    expect(parameters.find((parameter) => parameter.name === 'limit')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 25,
    });
    expect(parameters.find((parameter) => parameter.name === 'minScore')?.schema).toEqual({
      type: 'number',
      minimum: 0,
      maximum: 1,
    });
  });

  it('marks the match id as a required path parameter', () => {
    expect(document.paths['/matches/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
  });

  it('documents 400 problems with the parameters at fault', () => {
    const problem = document.components.schemas.Problem;

    expect(problem.required).toEqual(['type', 'title', 'status', 'detail', 'requestId']);
    expect(problem.properties.errors.items).toEqual({
      $ref: '#/components/schemas/ParameterProblem',
    });
    expect(document.paths['/matches'].get.responses['400']).toEqual({
      $ref: '#/components/responses/Problem400',
    });
  });

  it('has no dangling references', () => {
    for (const ref of allReferences(document)) {
      const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
      expect(section, ref).toBeDefined();
      expect(document.components[section as string][name as string], ref).toBeDefined();
    }
  });

  it('omits the score explanation from listed matches and requires it on a single match', () => {
    const { MatchSummary, Match } = document.components.schemas;

    expect(MatchSummary.properties).not.toHaveProperty('explanation');
    expect(Match.required).toContain('explanation');
  });
});

describe('responses against the OpenAPI document', () => {
  const api = routerHarness({
    page: { items: [sampleMatch(2), sampleMatch(1)], nextCursor: 'more' },
    matches: [sampleMatch(1)],
    feeds: [sampleFeedState('Example Wire', 'https://news.example.com/rss.xml')],
  });

  it.each([
    ['/matches', '/matches'],
    ['/matches/{id}', '/matches/match-00001'],
    ['/feeds', '/feeds'],
    ['/profile', '/profile'],
    ['/openapi.json', '/openapi.json'],
  ])('a 200 from %s has the documented shape', async (template, path) => {
    const response = await api.get(path);

    expect(response.status).toBe(200);
    const schema = documentedResponseSchema(document, template, 200, 'application/json');
    expect(schema.safeParse(json(response)).error).toBeUndefined();
  });

  it.each([
    [400, '/matches', { limit: 'x' }],
    [404, '/matches/{id}', {}],
  ])('a %i problem has the documented shape', async (status, template, query) => {
    const response = await api.get(template === '/matches' ? '/matches' : '/matches/none', query);

    expect(response.status).toBe(status);
    const schema = documentedResponseSchema(document, template, status, 'application/problem+json');
    expect(schema.safeParse(json(response)).error).toBeUndefined();
  });

  it('would reject a listed match that still carried its explanation', () => {
    const schema = documentedResponseSchema(document, '/matches', 200, 'application/json');

    expect(schema.safeParse({ items: [sampleMatch(1)] }).success).toBe(false);
  });
});

import { z } from 'zod';
import { ScoreExplanationSchema } from '#shared/profile/score-types.ts';
import { StoryMemberSchema } from '#shared/store/match-schema.ts';
import { API_ROUTES, type RouteDefinition } from './api-routes.ts';
import {
  AlertActivitySchema,
  FeedHealthSchema,
  FeedListSchema,
  MatchDetailSchema,
  MatchPageSchema,
  MatchSummarySchema,
  ParameterProblemSchema,
  ProblemSchema,
  ProfileSchema,
  SentAlertSchema,
  StoryDetailSchema,
  StoryPageSchema,
  StorySchema,
  VolumeSchema,
} from './api-schemas.ts';
import { FeedbackItemSchema, FeedbackPageSchema } from './feedback-schemas.ts';
import { PROBLEM_CONTENT_TYPE } from './problem-response.ts';

const COMPONENT_REF = '#/components/schemas/';

/** Response statuses every route can answer with. */
const SHARED_PROBLEMS = [405, 500, 503] as const;

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'A parameter or body field is missing, unknown, repeated or malformed; `errors` names each one.',
  401: 'Local server with a key set: `x-api-key` missing or wrong.',
  403: 'Deployed: unsigned, badly signed or expired request, or credentials without `execute-api:Invoke` (answered by API Gateway).',
  404: 'No such route, or no resource with this id.',
  429: 'Deployed: above the throttling rate of the stage (answered by API Gateway).',
  405: 'The route exists but not for this method; `Allow` lists the methods it takes.',
  413: 'The request body is larger than the server reads.',
  415: 'The request body is not `application/json`.',
  500: 'Something failed on the server; the detail is logged under `requestId`, never returned.',
  503: 'The store is throttling; retry after the seconds in `Retry-After`.',
};

/** Named schemas; shared building blocks are named too, so the document refers to them by name. */
function componentRegistry() {
  const registry = z.registry<{ id: string }>();
  registry.add(StoryMemberSchema, { id: 'StoryMember' });
  registry.add(ScoreExplanationSchema, { id: 'ScoreExplanation' });
  registry.add(MatchSummarySchema, { id: 'MatchSummary' });
  registry.add(MatchDetailSchema, { id: 'Match' });
  registry.add(MatchPageSchema, { id: 'MatchPage' });
  registry.add(StorySchema, { id: 'Story' });
  registry.add(StoryPageSchema, { id: 'StoryPage' });
  registry.add(StoryDetailSchema, { id: 'StoryDetail' });
  registry.add(VolumeSchema, { id: 'Volume' });
  registry.add(SentAlertSchema, { id: 'SentAlert' });
  registry.add(AlertActivitySchema, { id: 'AlertActivity' });
  registry.add(FeedHealthSchema, { id: 'FeedHealth' });
  registry.add(FeedListSchema, { id: 'FeedList' });
  registry.add(ProfileSchema, { id: 'Profile' });
  registry.add(FeedbackItemSchema, { id: 'Feedback' });
  registry.add(FeedbackPageSchema, { id: 'FeedbackPage' });
  registry.add(ParameterProblemSchema, { id: 'ParameterProblem' });
  registry.add(ProblemSchema, { id: 'Problem' });
  return registry;
}

type ComponentRegistry = ReturnType<typeof componentRegistry>;

function componentSchemas(registry: ComponentRegistry): Record<string, object> {
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    target: 'draft-2020-12',
    uri: (id) => `${COMPONENT_REF}${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => [id, withoutIdentity(schema)]),
  );
}

/** Drops `$schema` and `$id`: inside an OpenAPI 3.1 document the dialect and location are implied. */
function withoutIdentity(schema: object): object {
  const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}

function parameterSchema(schema: z.ZodType): object {
  return withoutIdentity(z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }));
}

function parameters(route: RouteDefinition): object[] {
  const list = (location: 'path' | 'query', object: z.ZodObject) =>
    Object.entries(object.shape).map(([name, schema]) => {
      const { description, ...rest } = parameterSchema(schema as z.ZodType) as {
        description?: string;
      };
      // What an absent parameter parses to is its default (input-side JSON Schema omits it).
      const absent = (schema as z.ZodType).safeParse(undefined);
      return {
        name,
        in: location,
        required: location === 'path' || !absent.success,
        ...(description ? { description } : {}),
        schema:
          absent.success && absent.data !== undefined ? { ...rest, default: absent.data } : rest,
      };
    });
  return [...list('path', route.pathParameters), ...list('query', route.queryParameters)];
}

function responseSchema(route: RouteDefinition, registry: ComponentRegistry): object {
  const id = registry.get(route.response.schema)?.id;
  return id
    ? { $ref: `${COMPONENT_REF}${id}` }
    : withoutIdentity(
        z.toJSONSchema(route.response.schema, { io: 'output', target: 'draft-2020-12' }),
      );
}

function sortedUnique(statuses: number[]): number[] {
  return [...new Set(statuses)].sort((a, b) => a - b);
}

function operation(route: RouteDefinition, registry: ComponentRegistry): object {
  const statuses = sortedUnique([...route.problems, ...SHARED_PROBLEMS]);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: withoutIdentity(
                  z.toJSONSchema(route.body, { io: 'input', target: 'draft-2020-12' }),
                ),
              },
            },
          },
        }
      : {}),
    responses: {
      [String(route.status ?? 200)]: {
        description: route.response.description,
        ...(route.status === 204
          ? {}
          : { content: { 'application/json': { schema: responseSchema(route, registry) } } }),
      },
      ...(route.response.created
        ? {
            '201': {
              description: route.response.created,
              content: { 'application/json': { schema: responseSchema(route, registry) } },
            },
          }
        : {}),
      ...Object.fromEntries(
        statuses.map((status) => [
          String(status),
          { $ref: `#/components/responses/Problem${status}` },
        ]),
      ),
      // 403 and 429 come from API Gateway before the function runs; 401 from a keyed local server.
      '401': { $ref: '#/components/responses/Unauthorized' },
      '403': { $ref: '#/components/responses/Forbidden' },
      '429': { $ref: '#/components/responses/TooManyRequests' },
    },
  };
}

/** Each path once, with an operation for each method its routes take. */
function pathItems(registry: ComponentRegistry): Record<string, Record<string, object>> {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of API_ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, object>)[(route.method ?? 'GET').toLowerCase()] =
      operation(route, registry);
  }
  return paths;
}

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas the router validates
 * requests and responses with, so the two cannot drift.
 */
export function buildOpenApiDocument(): object {
  const registry = componentRegistry();
  const problemStatuses = sortedUnique([
    ...API_ROUTES.flatMap((route) => route.problems),
    ...SHARED_PROBLEMS,
  ]);
  return {
    openapi: '3.1.0',
    info: {
      title: 'newswatch API',
      version: '1.0.0',
      description:
        'Stored matches and stories, one match with its score explanation, volume over time, alerts sent, feed health, and the topic profile. Deployed behind API Gateway with IAM (SigV4) auth; locally on 127.0.0.1.',
    },
    security: [{ sigv4: [] }],
    paths: pathItems(registry),
    components: {
      schemas: componentSchemas(registry),
      responses: {
        ...Object.fromEntries(
          problemStatuses.map((status) => [
            `Problem${status}`,
            {
              description: PROBLEM_DESCRIPTIONS[status] ?? 'A problem.',
              content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${COMPONENT_REF}Problem` } } },
            },
          ]),
        ),
        Unauthorized: {
          description: PROBLEM_DESCRIPTIONS[401],
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${COMPONENT_REF}Problem` } } },
        },
        Forbidden: { description: PROBLEM_DESCRIPTIONS[403] },
        TooManyRequests: { description: PROBLEM_DESCRIPTIONS[429] },
      },
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description:
            'AWS Signature Version 4 for the service `execute-api`, with credentials allowed `execute-api:Invoke` on the API.',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
  };
}

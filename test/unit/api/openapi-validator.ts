import { z } from 'zod';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
}

const COMPONENT_REF = '#/components/schemas/';

/**
 * Compiles the schema the OpenAPI document declares for one response of one operation, from the
 * document alone (not from the zod schemas it was generated from), so a test can hold real
 * responses against what the document promises.
 */
export function documentedResponseSchema(
  document: unknown,
  path: string,
  status: number,
  contentType: string,
): z.ZodType {
  const doc = document as Document;
  const operation = doc.paths[path]?.get;
  if (!operation) throw new Error(`the document has no GET ${path}`);
  let response = operation.responses[String(status)] as Record<string, unknown> | undefined;
  if (!response) throw new Error(`GET ${path} documents no ${status} response`);
  const ref = response.$ref;
  if (typeof ref === 'string') {
    response = doc.components.responses[ref.replace('#/components/responses/', '')] as
      | Record<string, unknown>
      | undefined;
    if (!response) throw new Error(`dangling response reference ${ref}`);
  }
  const content = response.content as Record<string, { schema: unknown }> | undefined;
  const schema = content?.[contentType]?.schema;
  if (!schema) throw new Error(`GET ${path} ${status} documents no ${contentType} body`);
  // JSON Schema resolves local references against `$defs`; the components are moved there.
  const standalone = JSON.parse(
    JSON.stringify({ $defs: doc.components.schemas, ...(schema as object) }).replaceAll(
      COMPONENT_REF,
      '#/$defs/',
    ),
  );
  return z.fromJSONSchema(standalone);
}

/** Every `$ref` in the document, so a test can check that each one resolves. */
export function allReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) allReferences(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else allReferences(inner, found);
    }
  }
  return found;
}

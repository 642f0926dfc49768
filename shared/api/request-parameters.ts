import type { z } from 'zod';
import { InvalidParameterError, type ParameterProblem } from './api-errors.ts';
import type { ApiRequest } from './api-types.ts';

/**
 * Validates query (or path) parameters against a schema: unknown names and repeated parameters
 * are refused alongside whatever the schema rejects, all at once, each naming its parameter.
 */
export function parseParameters<S extends z.ZodObject>(
  schema: S,
  values: ApiRequest['query'],
): z.output<S> {
  const known = Object.keys(schema.shape);
  const problems: ParameterProblem[] = [];
  const single: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (!known.includes(name)) {
      problems.push({
        parameter: name,
        message: known.length
          ? `unknown parameter; this route takes ${known.join(', ')}`
          : 'unknown parameter; this route takes none',
      });
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length !== 1) {
        problems.push({ parameter: name, message: 'given more than once; give it once' });
        continue;
      }
      single[name] = value[0] as string;
    } else {
      single[name] = value;
    }
  }
  const parsed = schema.safeParse(single);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const parameter = String(issue.path[0] ?? '(parameters)');
      if (!problems.some((problem) => problem.parameter === parameter)) {
        problems.push({ parameter, message: issue.message });
      }
    }
  }
  if (problems.length > 0 || !parsed.success) throw new InvalidParameterError(problems);
  return parsed.data;
}

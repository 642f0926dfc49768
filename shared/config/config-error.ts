import type { z } from 'zod';

/** Bad configuration: the message names every bad key and what was wrong with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** One line per issue, each led by the dotted path of the key at fault. */
export function describeZodIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const key = [prefix, path].filter(Boolean).join('.') || '(root)';
      return `${key}: ${issue.message}`;
    })
    .join('; ');
}

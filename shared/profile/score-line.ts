import { z } from 'zod';

const OptionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

/** One line of `newswatch score` input: only `id` and `title` are required. */
export const ScoreLineSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  summary: OptionalText,
  content: OptionalText,
  link: OptionalText,
  published: OptionalText,
  /** The language the item declares (BCP 47); the text itself has the last word. */
  language: OptionalText,
});
export type ScoreLine = z.infer<typeof ScoreLineSchema>;

/** Why a line cannot be scored, in one short phrase naming the field. */
export function describeLineProblem(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid item';
  if (issue.path.length === 0) return `expected a JSON object, not ${JSON.stringify(input)}`;
  const field = issue.path.join('.');
  const present =
    typeof input === 'object' && input !== null && Object.hasOwn(input, String(issue.path[0]));
  return present ? `"${field}": ${issue.message}` : `missing "${field}"`;
}

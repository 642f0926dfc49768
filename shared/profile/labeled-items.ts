import { z } from 'zod';

/**
 * One graded item in the labeled set's format (`../shared/eval/dev.jsonl`, and what
 * `newswatch eval --export` writes): grade 2 = the seed's story line (alert), 1 = the wider theme
 * (match), 0 = the rest.
 */
export const LabeledItemSchema = z.object({
  id: z.string().min(1),
  lang: z.string().default('en'),
  title: z.string(),
  summary: z.string().nullish(),
  grade: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});
export type LabeledItem = z.infer<typeof LabeledItemSchema>;

/** A line of a JSON Lines file that was not what it should be, by its 1-based number. */
export interface RejectedLine {
  line: number;
  problem: string;
}

/**
 * The valid items of a JSON Lines text, each line checked against `schema` on its own: a bad line
 * is named and skipped, never the end of the rest. Blank lines are ignored.
 */
export function parseJsonLines<S extends z.ZodType>(
  text: string,
  schema: S,
): { items: z.output<S>[]; rejected: RejectedLine[] } {
  const items: z.output<S>[] = [];
  const rejected: RejectedLine[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      rejected.push({ line: index + 1, problem: `not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) items.push(parsed.data);
    else {
      const issue = parsed.error.issues[0];
      const key = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      rejected.push({ line: index + 1, problem: `${key}${issue?.message ?? 'invalid'}` });
    }
  });
  return { items, rejected };
}

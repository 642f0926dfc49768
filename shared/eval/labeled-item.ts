import { z } from 'zod';

/** A grade as the labeled sets and the feedback use it: 0 not relevant, 1 relevant, 2 alert-worthy. */
export const GradeSchema = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type Grade = z.infer<typeof GradeSchema>;

/**
 * One line of a labeled set (`../shared/eval/dev.jsonl`): `{"id", "lang"?, "title", "summary",
 * "source", "published", "grade"}`. The same shape carries a user's own graded items out of the
 * store (`newswatch eval --feedback --export`), so every tool reads both alike.
 */
export const LabeledItemSchema = z.object({
  id: z.string().min(1),
  lang: z.string().default('en'),
  title: z.string(),
  summary: z.string().nullish(),
  source: z.string().optional(),
  published: z.string().optional(),
  grade: GradeSchema,
});
export type LabeledItem = z.output<typeof LabeledItemSchema>;

/** Parses JSON Lines; a bad line is an error naming its line number and what was wrong. */
export function parseLabeledItems(text: string, file: string): LabeledItem[] {
  const { items, rejected } = parseJsonLines(text, LabeledItemSchema);
  const [first] = rejected;
  if (first) throw new Error(`${file}:${first.line}: ${first.problem}`);
  return items;
}

/** JSON Lines, one item a line, in the labeled set's field order. */
export function formatLabeledItems(items: readonly LabeledItem[]): string {
  return items
    .map((item) =>
      JSON.stringify({
        id: item.id,
        lang: item.lang,
        title: item.title,
        summary: item.summary ?? null,
        source: item.source,
        published: item.published,
        grade: item.grade,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

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

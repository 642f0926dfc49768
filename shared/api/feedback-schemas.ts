import { z } from 'zod';
import {
  FEEDBACK_PAGE_DEFAULT,
  FEEDBACK_PAGE_MAX,
  FeedbackSchema,
} from '#shared/store/feedback-schema.ts';

const limitMessage = `expected a whole number from 1 to ${FEEDBACK_PAGE_MAX}`;

/** Query parameters of `GET /feedback`. */
export const FeedbackListParametersSchema = z.object({
  limit: z
    .preprocess(
      (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
      z
        .number({ error: limitMessage })
        .int({ error: limitMessage })
        .min(1, { error: limitMessage })
        .max(FEEDBACK_PAGE_MAX, { error: limitMessage }),
    )
    .default(FEEDBACK_PAGE_DEFAULT)
    .describe('At most this many graded items.'),
  cursor: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(1024, { error: 'must be at most 1024 characters' })
    .optional()
    .describe('The `nextCursor` of the previous page.'),
});

export const FeedbackItemSchema = FeedbackSchema.describe(
  'A graded item: the last grade, the earlier ones with their times, what the item said and the profile version that scored it.',
);

export const FeedbackPageSchema = z.object({
  items: z.array(FeedbackItemSchema),
  nextCursor: z
    .string()
    .optional()
    .describe('Present when more graded items may follow; pass it back as `cursor`.'),
});

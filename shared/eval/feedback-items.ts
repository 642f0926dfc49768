import type { Feedback, FeedbackPage } from '#shared/store/feedback-schema.ts';
import type { LabeledItem } from './labeled-item.ts';

/** A graded item as a line of the labeled set: the feedback's text and its last grade. */
export function labeledItemOf(feedback: Feedback): LabeledItem {
  return {
    id: feedback.id,
    lang: feedback.lang ?? 'en',
    title: feedback.title,
    summary: feedback.summary,
    source: feedback.link ?? feedback.feed,
    ...(feedback.published ? { published: feedback.published } : {}),
    grade: feedback.grade,
  };
}

/** Every page of the feedback, followed cursor by cursor. */
export async function allFeedback(reader: {
  listFeedback(query: { limit: number; cursor?: string }): Promise<FeedbackPage>;
}): Promise<Feedback[]> {
  const items: Feedback[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.listFeedback({ limit: 200, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

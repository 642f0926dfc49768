import { canonicalLink } from '#shared/feeds/canonical-url.ts';
import { itemIdFor } from '#shared/feeds/normalize-items.ts';
import { capLength, cleanText } from '#shared/feeds/text-clean.ts';
import type { Feedback } from '#shared/store/feedback-schema.ts';
import type { Store } from '#shared/store/store-ports.ts';
import { type MatchFeedbackInput, type MissReportInput, NOTE_MAX } from './feedback-input.ts';

export type FeedbackDeps = {
  store: Pick<Store, 'getMatch' | 'getFeedback' | 'putFeedback'>;
  now: () => Date;
};

export interface RecordedFeedback {
  feedback: Feedback;
  /** True when this item had no feedback before (HTTP 201), false when it was regraded (200). */
  created: boolean;
  /** The same grade and note as before: nothing was written. */
  unchanged?: true;
}

/** No match with this id is stored, and none was graded before (HTTP 404). */
export class UnknownMatchError extends Error {
  override readonly name = 'UnknownMatchError';
  constructor(readonly id: string) {
    super(`no match with id ${JSON.stringify(id)}`);
  }
}

/** Earlier grades kept per item: enough for any honest change of mind, bounded for the item size. */
const HISTORY_MAX = 100;

/** Two graders raced long enough that the write never held; the caller may retry. */
const WRITE_ATTEMPTS = 5;

/**
 * Grades a stored match. The last grade wins and the earlier ones stay in `history` with their
 * times; the same grade and note again change nothing. The match's title, summary, outlet,
 * language and profile version are copied into the feedback, so it can be scored again after
 * the match expires; a match already graded can be regraded after it expired.
 */
export async function gradeMatch(
  deps: FeedbackDeps,
  matchId: string,
  input: MatchFeedbackInput,
): Promise<RecordedFeedback> {
  const note = cleanNote(input.note);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const existing = await deps.store.getFeedback(matchId);
    if (existing && existing.grade === input.grade && existing.note === note) {
      return { feedback: existing, created: false, unchanged: true };
    }
    const base = existing ?? (await snapshotOfMatch(deps, matchId));
    const feedback = regraded(base, existing, input.grade, note, deps.now());
    if (await deps.store.putFeedback(feedback, existing?.gradedAt)) {
      return { feedback, created: existing === undefined };
    }
  }
  throw new Error(`feedback on ${matchId} kept changing under this write; try again`);
}

/**
 * Records an item the profile missed, graded 1 or 2, with the title and summary given (the CLI
 * fetches them when the user gives only the link). Its id is the one a feed item with this link
 * gets, so a later match of the same item meets its feedback.
 */
export async function reportMiss(
  deps: FeedbackDeps,
  input: MissReportInput,
  profileVersion: string,
): Promise<RecordedFeedback> {
  const link = canonicalLink(input.url);
  // The schema already took an http(s) URL; only an oversized canonical form is left.
  if (!link) throw new RangeError(`cannot use ${input.url} as an item link`);
  const id = itemIdFor(link.dedupeKey);
  const note = cleanNote(input.note);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const existing = await deps.store.getFeedback(id);
    const base: Feedback = {
      id,
      kind: existing?.kind ?? 'miss',
      grade: input.grade,
      gradedAt: '',
      history: [],
      title: capLength(cleanText(input.title), 500),
      summary: capLength(cleanText(input.summary ?? ''), 5000),
      feed: cleanText(input.feed ?? '') || link.url.split('/')[2] || link.url,
      link: link.url,
      profileVersion: existing?.profileVersion ?? profileVersion,
      ...(existing?.lang ? { lang: existing.lang } : {}),
    };
    const feedback = regraded(base, existing, input.grade, note, deps.now());
    if (await deps.store.putFeedback(feedback, existing?.gradedAt)) {
      return { feedback, created: existing === undefined };
    }
  }
  throw new Error(`feedback on ${input.url} kept changing under this write; try again`);
}

async function snapshotOfMatch(deps: FeedbackDeps, matchId: string): Promise<Feedback> {
  const match = await deps.store.getMatch(matchId);
  if (!match) throw new UnknownMatchError(matchId);
  return {
    id: match.id,
    kind: 'match',
    grade: 0,
    gradedAt: '',
    history: [],
    title: match.title,
    summary: match.summary,
    feed: match.feed,
    ...(match.link ? { link: match.link } : {}),
    ...(match.lang ? { lang: match.lang } : {}),
    ...(match.published ? { published: match.published } : {}),
    profileVersion: match.profileVersion,
    score: match.score,
  };
}

/** `base` with the new grade on top and the grade it replaces moved into the history. */
function regraded(
  base: Feedback,
  existing: Feedback | undefined,
  grade: Feedback['grade'],
  note: string | undefined,
  now: Date,
): Feedback {
  const { note: _previousNote, ...rest } = base;
  return {
    ...rest,
    grade,
    ...(note ? { note } : {}),
    gradedAt: now.toISOString(),
    history: existing
      ? [
          ...existing.history,
          {
            grade: existing.grade,
            ...(existing.note ? { note: existing.note } : {}),
            gradedAt: existing.gradedAt,
          },
        ].slice(-HISTORY_MAX)
      : [],
  };
}

function cleanNote(note: string | undefined): string | undefined {
  const cleaned = note === undefined ? '' : capLength(cleanText(note), NOTE_MAX);
  return cleaned === '' ? undefined : cleaned;
}

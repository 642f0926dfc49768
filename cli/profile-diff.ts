import { join } from 'node:path';
import { z } from 'zod';
import { allFeedback, labeledItemOf } from '#shared/eval/feedback-items.ts';
import { LabeledItemSchema, parseJsonLines } from '#shared/eval/labeled-item.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedPoller } from '#shared/feeds/feed-poller.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { backtestItemOfLabeled } from '#shared/profile/backtest-items.ts';
import {
  OVERLAY_FILE,
  ProfileError,
  profileFromOverlay,
  readOverlayText,
  readSeedDocuments,
} from '#shared/profile/load-profile.ts';
import type {
  BacktestChange,
  BacktestItem,
  BacktestReport,
  GradedFigures,
} from '#shared/profile/profile-backtest.ts';
import { overlayText } from '#shared/profile/profile-versions.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import type { FeedbackPage } from '#shared/store/feedback-schema.ts';
import type { Match, MatchQuery } from '#shared/store/match-schema.ts';
import { mapBounded } from '#shared/sweep/map-bounded.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { readTextFile } from './input-files.ts';

/** A recent item given with `--items`: what the scorer reads, an id optional. */
const RecentItemSchema = z.object({
  id: z.string().min(1).optional(),
  title: z.string(),
  summary: z.string().nullish(),
  language: z.string().optional(),
});

/** Problems with input lines, named on stderr; they make the exit code 3. */
export interface InputRejections {
  lines: string[];
}

/** Reads a JSON file given on the command line; a missing or broken file is a usage error. */
export function readJsonFile(file: string): unknown {
  const text = readTextFile(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`, ExitCode.Usage);
  }
}

/**
 * The proposed profile: the seeds of `seedsDir` with the overlay of `overlayFile`, or else the
 * seeds folder's own `profile.json`, or else the overlay in use. A bad overlay is a usage error
 * naming the key.
 */
export async function proposedProfile(options: {
  seedsDir: string;
  overlayFile?: string;
  /** The overlay in use, for new seeds without an overlay of their own. */
  inUseOverlay: string;
  thresholds?: { match?: number; alert?: number };
}): Promise<TopicProfile> {
  try {
    const documents = await readSeedDocuments(options.seedsDir);
    const written = options.overlayFile
      ? overlayText(readJsonFile(options.overlayFile))
      : ((await readOverlayText(options.seedsDir)) ?? options.inUseOverlay);
    const source = options.overlayFile ?? join(options.seedsDir, OVERLAY_FILE);
    return profileFromOverlay(documents, written, source, { thresholds: options.thresholds });
  } catch (error) {
    if (error instanceof ProfileError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
}

/** Graded items from a JSON Lines file in the labeled set's format. */
export function gradedItems(file: string, rejections: InputRejections): BacktestItem[] {
  const { items, rejected } = parseJsonLines(readTextFile(file), LabeledItemSchema);
  for (const line of rejected) rejections.lines.push(`${file}:${line.line}: ${line.problem}`);
  return items.map((item) => backtestItemOfLabeled(item, 'labels'));
}

/** Every grade stored with `newswatch feedback`, from the local store or the deployed API. */
export async function feedbackItems(reader: {
  listFeedback(query: { limit: number; cursor?: string }): Promise<FeedbackPage>;
}): Promise<BacktestItem[]> {
  return (await allFeedback(reader)).map((feedback) =>
    backtestItemOfLabeled(labeledItemOf(feedback), 'feedback'),
  );
}

/** Recent items from a JSON Lines file: `{"title", "summary"?, "id"?, "language"?}` a line. */
export function recentItems(file: string, rejections: InputRejections): BacktestItem[] {
  const { items, rejected } = parseJsonLines(readTextFile(file), RecentItemSchema);
  for (const line of rejected) rejections.lines.push(`${file}:${line.line}: ${line.problem}`);
  return items.map((item, index) => ({
    id: item.id ?? `${file}#${index + 1}`,
    source: 'recent',
    title: item.title,
    summary: item.summary ?? undefined,
    language: item.language,
  }));
}

/** Up to `limit` stored matches, newest first, page by page. */
export async function storedItems(
  reader: {
    listMatches(
      query: MatchQuery,
    ): Promise<{ items: Omit<Match, 'explanation'>[]; nextCursor?: string }>;
  },
  limit: number,
): Promise<BacktestItem[]> {
  const items: BacktestItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.listMatches({ limit: Math.min(100, limit - items.length), cursor });
    for (const match of page.items) {
      items.push({
        id: match.id,
        source: 'stored',
        title: match.title,
        summary: match.summary,
        language: match.language,
      });
    }
    cursor = page.nextCursor;
  } while (cursor && items.length < limit);
  return items;
}

/** The backtest for a person: counts, the graded figures side by side, then the items that change. */
export function describeBacktest(
  report: BacktestReport,
  profiles: { current: TopicProfile; proposed: TopicProfile; proposedFrom: string },
  show: number,
  repeated = 0,
): string {
  const lines: string[] = [];
  const { current, proposed } = profiles;
  lines.push(
    `current:  ${current.version}${current.overlayVersion ? ` (overlay version ${current.overlayVersion})` : ''}, thresholds match ${current.thresholds.match}, alert ${current.thresholds.alert}`,
  );
  lines.push(
    `proposed: ${proposed.version} (${terminalText(profiles.proposedFrom)}), thresholds match ${proposed.thresholds.match}, alert ${proposed.thresholds.alert}`,
  );
  lines.push(
    `items: ${report.items.feedback} graded by you, ${report.items.labels} from --labels, ${report.items.stored} stored matches, ${report.items.recent} recent`,
  );
  if (repeated > 0) {
    lines.push(
      `  (${repeated} given twice, scored once: your stored grade first, then --labels, stored, recent)`,
    );
  }
  lines.push('');
  lines.push(`                 current  proposed`);
  lines.push(
    `  matches      ${pad(report.totals.current.matches)}  ${pad(report.totals.proposed.matches)}`,
  );
  lines.push(
    `  alerts       ${pad(report.totals.current.alerts)}  ${pad(report.totals.proposed.alerts)}`,
  );
  if (report.graded) {
    lines.push('');
    lines.push(
      `graded items (${report.graded.items}):     P      R     F1     (current -> proposed)`,
    );
    for (const task of ['match', 'alert'] as const) {
      lines.push(`  ${task}  ${figuresLine(report.graded.current, report.graded.proposed, task)}`);
    }
  } else {
    lines.push(
      '',
      'no graded items (grade matches with `newswatch feedback`, or give --labels FILE.jsonl): precision and recall not measured',
    );
  }
  const sections: [string, BacktestChange[]][] = [
    ...(report.graded
      ? ([
          ['graded items it fixes', report.fixed],
          ['graded items it breaks', report.broken],
        ] as [string, BacktestChange[]][])
      : []),
    ['newly matched', report.newlyMatched],
    ['newly alerted', report.newlyAlerted],
    ['no longer matched', report.droppedMatches],
    ['no longer alerted', report.droppedAlerts],
  ];
  for (const [title, changes] of sections) {
    lines.push('', `${title}: ${changes.length}`);
    for (const change of changes.slice(0, show)) lines.push(`  ${changeLine(change)}`);
    if (changes.length > show) lines.push(`  ... and ${changes.length - show} more (--show N)`);
  }
  return `${lines.join('\n')}\n`;
}

function figuresLine(
  current: GradedFigures,
  proposed: GradedFigures,
  task: 'match' | 'alert',
): string {
  const before = current[task];
  const after = proposed[task];
  const triple = (metrics: { precision: number; recall: number; f1: number }) =>
    [metrics.precision, metrics.recall, metrics.f1].map((value) => value.toFixed(3)).join(' ');
  const delta = after.f1 - before.f1;
  return `${triple(before)} -> ${triple(after)}  (F1 ${delta >= 0 ? '+' : ''}${delta.toFixed(3)})`;
}

function changeLine(change: BacktestChange): string {
  const grade = change.grade === undefined ? '' : ` grade ${change.grade}`;
  return `${change.current.score.toFixed(3)} -> ${change.proposed.score.toFixed(3)}  [${change.source}${grade}] ${terminalText(change.title).slice(0, 120)}`;
}

function pad(value: number): string {
  return String(value).padStart(7);
}

/**
 * The items in the feeds now, polled unconditionally with the sweep's poller, that the current
 * profile leaves unmatched: what a change could newly catch. A feed that fails is named and
 * skipped.
 */
export async function unmatchedFeedItems(
  feeds: readonly FeedSpec[],
  poller: FeedPoller,
  current: Scorer,
  concurrency: number,
  rejections: InputRejections,
): Promise<BacktestItem[]> {
  const polled = await mapBounded(feeds, concurrency, async (feed) => {
    try {
      const result = await poller.poll({ feed, previous: {}, unconditional: true });
      return result.kind === 'parsed' ? result.items : [];
    } catch (error) {
      rejections.lines.push(`${feed.url}: ${(error as Error).message}`);
      return [];
    }
  });
  return polled
    .flat()
    .filter((item) => !current.score(item).match)
    .map((item) => ({
      id: item.id,
      source: 'recent' as const,
      title: item.title,
      summary: item.summary,
      content: item.content,
      language: item.language,
    }));
}

import type { Command } from 'commander';
import type { z } from 'zod';
import { RemoteMatchNotFoundError, remoteFeedback } from '#shared/api/remote-feedback.ts';
import { describeZodIssues } from '#shared/config/config-error.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import {
  type MatchFeedbackInput,
  MatchFeedbackInputSchema,
  type MissReportInput,
  MissReportInputSchema,
} from '#shared/feedback/feedback-input.ts';
import { fetchItemText, ItemTextError } from '#shared/feedback/item-page-text.ts';
import {
  gradeMatch,
  type RecordedFeedback,
  reportMiss,
  UnknownMatchError,
} from '#shared/feedback/record-feedback.ts';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { DEFAULT_USER_AGENT } from '#shared/feeds/user-agent.ts';
import {
  type CommonOptions,
  configOverrides,
  OPTION_HELP,
  withConfigOption,
} from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { openLocalStore } from '../local-store.ts';
import { openRemoteApi, type RemoteOptions, withRemoteOption } from '../remote-api.ts';
import { terminalJson } from '../terminal-output.ts';
import { loadProfileForCli } from './profile-command.ts';
import { runSuggest, type SuggestOptions, withSuggestOptions } from './suggest-action.ts';

interface FeedbackOptions extends CommonOptions, RemoteOptions, SuggestOptions {
  note?: string;
  url?: string;
  title?: string;
  summary?: string;
  json?: boolean;
}

const GRADE_WORDS = ['not relevant', 'relevant', 'alert-worthy'] as const;

/**
 * `newswatch feedback <match-id> <0|1|2>`, `newswatch feedback --url URL <1|2>` and
 * `newswatch feedback suggest`: grade a match, report a miss, or have the graded items propose
 * profile changes (never applied).
 */
export function registerFeedbackCommand(program: Command): void {
  withSuggestOptions(
    withConfigOption(
      withRemoteOption(
        program
          .command('feedback')
          .description(
            'grade a match (0 not relevant, 1 relevant, 2 alert-worthy), report a missed item with --url, or `feedback suggest` profile changes from your grades',
          )
          .argument('[words...]', '<match-id> <grade>, or <grade> with --url, or suggest')
          .option('--note <text>', 'why, in your words (kept with the grade)')
          .option('--url <link>', "report an item the profile missed: the item's link")
          .option('--title <text>', 'with --url: its headline (fetched from the link if absent)')
          .option('--summary <text>', 'with --url: its description (fetched if absent)')
          .option('--data <dir>', OPTION_HELP.data)
          .option('--seeds <dir>', OPTION_HELP.seeds)
          .option('--allow-private-network', 'with --url: let the fetch reach private addresses')
          .option(
            '--labels <file>',
            'with suggest: a labeled set in JSON Lines instead of your grades',
          )
          .option('--json', 'print the stored feedback as JSON'),
      ),
    ),
  ).action(async (words: string[], options: FeedbackOptions) => {
    if (words[0] === 'suggest') {
      await runSuggest(words.slice(1), options);
      return;
    }
    const recorded = options.url
      ? await recordMiss(words, options)
      : await recordGrade(words, options);
    process.stdout.write(
      options.json ? `${terminalJson(recorded.feedback)}\n` : terminalText(describe(recorded)),
    );
  });
}

async function recordGrade(words: string[], options: FeedbackOptions): Promise<RecordedFeedback> {
  if (words.length !== 2) {
    throw new CliError(
      'expected a match id and a grade: newswatch feedback <match-id> <0|1|2> [--note T]',
      ExitCode.Usage,
    );
  }
  const [matchId = '', grade = ''] = words;
  const input = validated(MatchFeedbackInputSchema, { grade: gradeOf(grade), note: options.note });
  if (options.remote) {
    try {
      return await remoteFeedback(openRemoteApi({ ...options, remote: options.remote })).gradeMatch(
        matchId,
        input,
      );
    } catch (error) {
      if (error instanceof RemoteMatchNotFoundError)
        throw new CliError(error.message, ExitCode.Usage);
      throw error;
    }
  }
  return withLocalStore(options, async (store) => {
    try {
      return await gradeMatch(
        { store, now: () => new Date() },
        matchId,
        input as MatchFeedbackInput,
      );
    } catch (error) {
      if (error instanceof UnknownMatchError) {
        throw new CliError(
          `${error.message} in the local store (newswatch matches lists them)`,
          ExitCode.Usage,
        );
      }
      throw error;
    }
  });
}

async function recordMiss(words: string[], options: FeedbackOptions): Promise<RecordedFeedback> {
  if (words.length !== 1) {
    throw new CliError(
      'expected one grade with --url: newswatch feedback --url URL <1|2> [--title T --summary S]',
      ExitCode.Usage,
    );
  }
  const grade = gradeOf(words[0] ?? '');
  if (grade === 0) {
    throw new CliError(
      'a miss is graded 1 (relevant) or 2 (alert-worthy); to say a match is not relevant, grade its id 0',
      ExitCode.Usage,
    );
  }
  const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
  const given =
    options.title === undefined ? undefined : { title: options.title, summary: options.summary };
  const text = given ?? (await fetchText(options.url ?? '', config.fetch));
  const input = validated(MissReportInputSchema, {
    url: options.url,
    grade,
    title: text.title,
    ...(text.summary ? { summary: text.summary } : {}),
    ...('feed' in text && text.feed ? { feed: text.feed } : {}),
    ...(options.note ? { note: options.note } : {}),
  }) as MissReportInput;
  if (options.remote) {
    return remoteFeedback(openRemoteApi({ ...options, remote: options.remote })).reportMiss(input);
  }
  const profile = await loadProfileForCli(options);
  return withLocalStore(options, (store) =>
    reportMiss({ store, now: () => new Date() }, input, profile.version),
  );
}

async function fetchText(
  url: string,
  fetch: { allowPrivateNetwork: boolean; timeoutMs: number; maxBodyBytes: number },
): Promise<{ title: string; summary: string; feed?: string }> {
  try {
    return await fetchItemText(url, { ...fetch, userAgent: DEFAULT_USER_AGENT });
  } catch (error) {
    if (error instanceof ItemTextError || error instanceof FeedError) {
      throw new CliError(
        `cannot read ${url}: ${error.message} (give --title and --summary instead)`,
        ExitCode.Failure,
      );
    }
    throw error;
  }
}

async function withLocalStore<T>(
  options: FeedbackOptions,
  use: (store: Awaited<ReturnType<typeof openLocalStore>>['store']) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
  const local = await openLocalStore(config.dataDir);
  try {
    return await use(local.store);
  } finally {
    await local.close();
  }
}

function gradeOf(word: string): number {
  if (!/^[012]$/.test(word)) {
    throw new CliError(
      `grade: expected 0 (not relevant), 1 (relevant) or 2 (alert-worthy), got "${word.slice(0, 40)}"`,
      ExitCode.Usage,
    );
  }
  return Number(word);
}

function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CliError(`bad feedback: ${describeZodIssues(parsed.error)}`, ExitCode.Usage);
  }
  return parsed.data;
}

function describe({ feedback, created, unchanged }: RecordedFeedback): string {
  const previous = feedback.history.at(-1);
  const change =
    created || !previous
      ? ''
      : unchanged
        ? '; unchanged'
        : `; was ${previous.grade} (${GRADE_WORDS[previous.grade]}) since ${previous.gradedAt}`;
  const what = feedback.kind === 'miss' ? 'miss' : 'match';
  return `${what} ${feedback.id} graded ${feedback.grade} (${GRADE_WORDS[feedback.grade]})${change}\n  ${feedback.feed}: ${feedback.title}\n`;
}

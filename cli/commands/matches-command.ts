import type { Command } from 'commander';
import { z } from 'zod';
import { remoteMatchReader } from '#shared/api/remote-reads.ts';
import { describeZodIssues } from '#shared/config/config-error.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import type { Match, MatchQuery } from '#shared/store/match-schema.ts';
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

const PAGE_SIZE = 100;
const DEFAULT_LIMIT = 20;

const MatchesOptionsSchema = z.object({
  since: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time' }).optional(),
  facet: z.string().min(1).optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  lang: z
    .string()
    .regex(/^[a-zA-Z]{2,3}$/, 'expected a language code such as en, ru or zh')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_LIMIT),
  all: z.boolean().default(false),
  json: z.boolean().default(false),
});

type MatchesOptions = CommonOptions & RemoteOptions & Record<string, unknown>;

/** What the listing shows of a match: the API's summary, which the store's matches extend. */
type ListedMatch = Omit<Match, 'explanation'>;

interface MatchReader {
  listMatches(query: MatchQuery): Promise<{ items: ListedMatch[]; nextCursor?: string }>;
}

export function registerMatchesCommand(program: Command): void {
  withConfigOption(
    withRemoteOption(
      program
        .command('matches')
        .description('print stored matches, newest first')
        .option('--data <dir>', OPTION_HELP.data)
        .option('--since <iso>', 'only matches stored at or after this time')
        .option('--facet <name>', 'only matches that touched this facet')
        .option('--min-score <x>', 'only matches scoring at least x (0 to 1)')
        .option('--lang <code>', 'only matches in this language (en, ru, zh, ...)')
        .option('--limit <n>', `at most n matches (default: ${DEFAULT_LIMIT})`)
        .option('--all', 'every match, however many')
        .option('--json', 'print {"items": [...]} with the fields of the API'),
    ),
  ).action(async (raw: MatchesOptions) => {
    const parsed = MatchesOptionsSchema.safeParse(raw);
    if (!parsed.success) {
      throw new CliError(
        `bad option: ${optionNames(describeZodIssues(parsed.error))}`,
        ExitCode.Usage,
      );
    }
    const options = parsed.data;
    const wanted = options.all ? Number.POSITIVE_INFINITY : options.limit;
    const query: Omit<MatchQuery, 'limit'> = {
      since: options.since,
      facet: options.facet,
      minScore: options.minScore,
      lang: options.lang?.toLowerCase(),
    };
    const print = (items: ListedMatch[]): void => {
      process.stdout.write(
        options.json ? `${terminalJson({ items })}\n` : terminalText(renderMatches(items)),
      );
    };
    if (raw.remote) {
      print(
        await collect(
          remoteMatchReader(openRemoteApi({ ...raw, remote: raw.remote })),
          query,
          wanted,
        ),
      );
      return;
    }
    const config = loadConfig({ file: raw.config, overrides: configOverrides(raw) });
    const local = await openLocalStore(config.dataDir);
    try {
      print(await collect(local.store, query, wanted));
    } finally {
      await local.close();
    }
  });
}

async function collect(
  store: MatchReader,
  query: Omit<MatchQuery, 'limit'>,
  wanted: number,
): Promise<ListedMatch[]> {
  const items: ListedMatch[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listMatches({
      ...query,
      limit: Math.min(PAGE_SIZE, wanted - items.length),
      cursor,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < wanted);
  return items.slice(0, wanted);
}

function renderMatches(items: ListedMatch[]): string {
  if (items.length === 0) return 'no matches stored yet\n';
  return `${items
    .map((match) => {
      const when = (match.published ?? match.storedAt).slice(0, 16).replace('T', ' ');
      const flags = match.alerted ? ' [alerted]' : '';
      const also = match.alsoReportedBy.length
        ? `\n      also reported by: ${match.alsoReportedBy.map((member) => member.feed).join(', ')}`
        : '';
      const lang = match.lang ? `  language: ${match.lang}` : '';
      return `${match.score.toFixed(2)}  ${when}  ${match.feed}: ${match.title}${flags}\n      ${match.link ?? '(no link)'}  facets: ${match.facets.join(', ') || '-'}${lang}${also}`;
    })
    .join('\n')}\n`;
}

/** zod names the camelCase key; people typed the flag. */
function optionNames(message: string): string {
  return message
    .replace(/\bminScore\b/g, '--min-score')
    .replace(/^(since|facet|lang|limit):/g, '--$1:');
}

import type { Command } from 'commander';
import { z } from 'zod';
import { describeZodIssues } from '#shared/config/config-error.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { Match, MatchQuery } from '#shared/store/match-schema.ts';
import { type CommonOptions, configOverrides, withConfigOption } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { openLocalStore } from '../local-store.ts';
import { forTerminal, terminalJson } from '../terminal-output.ts';

const PAGE_SIZE = 100;

const MatchesOptionsSchema = z.object({
  since: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time' }).optional(),
  facet: z.string().min(1).optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(20),
  all: z.boolean().default(false),
  json: z.boolean().default(false),
});

type MatchesOptions = CommonOptions & Record<string, unknown>;

export function registerMatchesCommand(program: Command): void {
  withConfigOption(
    program
      .command('matches')
      .description('print stored matches, newest first')
      .option('--data <dir>', 'data folder of the embedded store (default: .newswatch)')
      .option('--since <iso>', 'only matches stored at or after this time')
      .option('--facet <name>', 'only matches that touched this facet')
      .option('--min-score <x>', 'only matches scoring at least x (0 to 1)')
      .option('--limit <n>', 'at most n matches (default: 20)')
      .option('--all', 'every match, however many')
      .option('--json', 'print {"items": [...]} with the fields of the API'),
  ).action(async (raw: MatchesOptions) => {
    const parsed = MatchesOptionsSchema.safeParse(raw);
    if (!parsed.success) {
      throw new CliError(
        `bad option: ${optionNames(describeZodIssues(parsed.error))}`,
        ExitCode.Usage,
      );
    }
    const options = parsed.data;
    const config = loadConfig({ file: raw.config, overrides: configOverrides(raw) });
    const local = await openLocalStore(config.dataDir);
    try {
      const wanted = options.all ? Number.POSITIVE_INFINITY : options.limit;
      const query: Omit<MatchQuery, 'limit'> = {
        since: options.since,
        facet: options.facet,
        minScore: options.minScore,
      };
      const items = await collect(local.store, query, wanted);
      process.stdout.write(
        options.json ? `${terminalJson({ items })}\n` : forTerminal(renderMatches(items)),
      );
    } finally {
      await local.close();
    }
  });
}

async function collect(
  store: { listMatches(query: MatchQuery): Promise<{ items: Match[]; nextCursor?: string }> },
  query: Omit<MatchQuery, 'limit'>,
  wanted: number,
): Promise<Match[]> {
  const items: Match[] = [];
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

function renderMatches(items: Match[]): string {
  if (items.length === 0) return 'no matches stored yet\n';
  return `${items
    .map((match) => {
      const when = (match.published ?? match.storedAt).slice(0, 16).replace('T', ' ');
      const flags = match.alerted ? ' [alerted]' : '';
      const also = match.alsoReportedBy.length
        ? `\n      also reported by: ${match.alsoReportedBy.map((member) => member.feed).join(', ')}`
        : '';
      return `${match.score.toFixed(2)}  ${when}  ${match.feed}: ${match.title}${flags}\n      ${match.link ?? '(no link)'}  facets: ${match.facets.join(', ') || '-'}${also}`;
    })
    .join('\n')}\n`;
}

/** zod names the camelCase key; people typed the flag. */
function optionNames(message: string): string {
  return message.replace(/\bminScore\b/g, '--min-score').replace(/^(since|facet|limit):/g, '--$1:');
}

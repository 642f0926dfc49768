import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { FeedHealth } from '#shared/api/remote-feeds.ts';
import type { Config } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import {
  DuplicateFeedError,
  FeedInputError,
  FeedNotListedError,
} from '#shared/feeds/feed-list-errors.ts';
import { feedListOpml } from '#shared/feeds/feed-list-opml.ts';
import { FeedListError, parseFeedList } from '#shared/feeds/load-feed-list.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import {
  type CommonOptions,
  configOverrides,
  OPTION_HELP,
  withConfigOption,
} from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import {
  type FeedListClient,
  localFeedListClient,
  remoteFeedListClient,
} from '../feed-list-clients.ts';
import { localFeedList } from '../local-feed-list.ts';
import { openLocalStore } from '../local-store.ts';
import { openRemoteApi, type RemoteOptions, withRemoteOption } from '../remote-api.ts';
import { terminalJson } from '../terminal-output.ts';

type FeedsOptions = CommonOptions &
  RemoteOptions & { json?: boolean; name?: string; tag?: string[] };

/** `newswatch feeds`: the stored feed list, listed and edited locally or, with --remote, deployed. */
export function registerFeedsCommand(program: Command): void {
  const feeds = program
    .command('feeds')
    .description(
      'the feed list the sweeps poll, kept in the store: list, add, remove, import or export feeds (locally, or deployed with --remote)',
    );
  const sub = (name: string, description: string): Command =>
    withConfigOption(
      withRemoteOption(
        feeds
          .command(name)
          .description(description)
          .option('--data <dir>', OPTION_HELP.data)
          .option('--feeds <file>', OPTION_HELP.feeds),
      ),
    ).exitOverride();

  sub('list', 'every feed in the list with its health, by name')
    .option('--json', 'print {"items": [...]} as GET /feeds answers')
    .action((options: FeedsOptions) =>
      withClient(options, async (client) => {
        const items = await client.list();
        process.stdout.write(
          options.json ? `${terminalJson({ items })}\n` : terminalText(renderFeeds(items)),
        );
      }),
    );

  sub('add', 'add a feed; the next sweep polls it')
    .argument('<url>', 'the feed URL (http or https)')
    .option('--name <name>', 'the name shown for the feed (default: its URL)')
    .option('--tag <tag>', 'a tag; repeat for more', collect, [])
    .option('--allow-private-network', 'allow a feed on a loopback or private address (local only)')
    .action((url: string, options: FeedsOptions) =>
      withClient(options, async (client) => {
        const feed = await client.add({
          url,
          ...(options.name === undefined ? {} : { name: options.name }),
          tags: options.tag ?? [],
        });
        process.stdout.write(terminalText(`added ${feed.feedId}  ${feed.name ?? feed.url}\n`));
      }),
    );

  sub('remove', 'remove a feed (by URL or id) and its state; the next sweep leaves it out')
    .argument('<url-or-id>', 'the feed URL, or its id as `feeds list` shows it')
    .action((idOrUrl: string, options: FeedsOptions) =>
      withClient(options, async (client) => {
        const feed = await client.remove(idOrUrl);
        process.stdout.write(terminalText(`removed ${feed.feedId}  ${feed.url}\n`));
      }),
    );

  sub('import', 'add every feed of an OPML (or JSON) feed list not listed yet')
    .argument('<file>', 'the OPML file, e.g. exported from a feed reader')
    .option('--allow-private-network', 'allow feeds on loopback or private addresses (local only)')
    .action((file: string, options: FeedsOptions) =>
      withClient(options, async (client) => {
        const result = await client.importFeeds(await readFeedListFile(file));
        for (const { url, reason } of result.refused) {
          process.stderr.write(terminalText(`refused ${url}: ${reason}\n`));
        }
        process.stdout.write(
          `imported ${result.added.length} feeds; ${result.duplicates.length} already listed, ${result.refused.length} refused\n`,
        );
        if (result.refused.length > 0) process.exitCode = ExitCode.Partial;
      }),
    );

  sub('export', 'print the feed list as OPML 2.0').action((options: FeedsOptions) =>
    withClient(options, async (client) => {
      process.stdout.write(terminalText(feedListOpml(await client.list())));
    }),
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Runs `use` on the local store's list, or the deployed one; the refusals become exit codes. */
async function withClient(
  options: FeedsOptions,
  use: (client: FeedListClient) => Promise<void>,
): Promise<void> {
  try {
    if (options.remote) {
      await use(remoteFeedListClient(openRemoteApi({ ...options, remote: options.remote })));
      return;
    }
    const config: Config = loadConfig({
      file: options.config,
      overrides: configOverrides(options),
    });
    const local = await openLocalStore(config.dataDir);
    try {
      await use(localFeedListClient(localFeedList(config, local.store), local.store));
    } finally {
      await local.close();
    }
  } catch (error) {
    if (error instanceof FeedInputError) throw new CliError(error.message, ExitCode.Usage);
    if (error instanceof DuplicateFeedError || error instanceof FeedNotListedError) {
      throw new CliError(error.message, ExitCode.Partial);
    }
    throw error;
  }
}

async function readFeedListFile(file: string): Promise<ReturnType<typeof parseFeedList>> {
  try {
    return parseFeedList(file, await readFile(file));
  } catch (error) {
    const message =
      error instanceof FeedListError
        ? error.message
        : `${file}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    throw new CliError(message, ExitCode.Usage);
  }
}

function renderFeeds(items: FeedHealth[]): string {
  if (items.length === 0) return 'the feed list is empty\n';
  return `${items
    .map((feed) => {
      const tags = feed.tags.length ? `  tags: ${feed.tags.join(', ')}` : '';
      const failing = feed.lastError ? `\n      last error: ${feed.lastError}` : '';
      return `${feed.feedId}  ${feed.status.padEnd(15)}  ${feed.name ?? feed.url}\n      ${feed.url}${tags}${failing}`;
    })
    .join('\n')}\n`;
}

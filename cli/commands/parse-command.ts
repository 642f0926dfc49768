import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { loadConfig } from '#shared/config/load-config.ts';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { type ParsedFeed, parseFeedDocument } from '#shared/feeds/parse-feed.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { OPTION_HELP } from '../command-options.ts';
import { ExitCode } from '../exit-codes.ts';
import { terminalJson } from '../terminal-output.ts';

interface ParseOptions {
  json?: boolean;
  allowPrivateNetwork?: boolean;
  config?: string;
}

type Outcome = { source: string } & (
  | Pick<ParsedFeed, 'feed' | 'items' | 'warnings'>
  | { error: { code: string; message: string } }
);

const isUrl = (input: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(input);

/** `newswatch parse`: what newswatch sees in feeds (files or URLs), nothing stored. */
export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('fetch or read feeds, then decode, parse and normalize them; nothing is stored')
    .argument('<file-or-url...>', 'feed files or http(s) URLs')
    .option('--json', 'one JSON line per input, in order')
    .option('--allow-private-network', 'allow URLs on loopback, private and link-local addresses')
    .option('--config <file>', OPTION_HELP.config)
    .action(async (inputs: string[], options: ParseOptions) => {
      const config = loadConfig({
        ...(options.config ? { file: options.config } : {}),
        ...(options.allowPrivateNetwork
          ? { overrides: { fetch: { allowPrivateNetwork: true } } }
          : {}),
      });
      const poller = createFeedPoller({
        allowPrivateNetwork: config.fetch.allowPrivateNetwork,
        timeoutMs: config.fetch.timeoutMs,
        maxBodyBytes: config.fetch.maxBodyBytes,
        perHostConcurrency: config.fetch.perHostConcurrency,
      });
      let failed = 0;
      for (const input of inputs) {
        const outcome = await parseOne(input, poller, config.fetch.maxBodyBytes);
        if ('error' in outcome) failed++;
        process.stdout.write(
          options.json ? `${terminalJson(outcome)}\n` : terminalText(describe(outcome)),
        );
      }
      if (failed > 0) process.exitCode = ExitCode.Partial;
    });
}

async function parseOne(
  input: string,
  poller: ReturnType<typeof createFeedPoller>,
  maxBodyBytes: number,
): Promise<Outcome> {
  try {
    if (isUrl(input)) {
      const polled = await poller.poll({
        feed: { url: input, tags: [] },
        previous: {},
        unconditional: true,
      });
      if (polled.kind === 'not-modified')
        return { source: input, feed: {}, items: [], warnings: ['not modified'] };
      return { source: input, feed: polled.feed, items: polled.items, warnings: polled.warnings };
    }
    const path = resolve(input);
    const bytes = await readFile(path);
    if (bytes.length > maxBodyBytes) {
      throw new FeedError(
        'TOO_LARGE',
        `the file is ${bytes.length} bytes, over the ${maxBodyBytes} byte cap`,
      );
    }
    const { feed, items, warnings } = await parseFeedDocument(bytes, {
      feedUrl: pathToFileURL(path).href,
    });
    return { source: input, feed, items, warnings };
  } catch (error) {
    if (error instanceof FeedError)
      return { source: input, error: { code: error.code, message: error.message } };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      return {
        source: input,
        error: { code: 'UNREADABLE', message: `cannot read ${input}: ${code}` },
      };
    }
    return { source: input, error: { code: 'INTERNAL', message: (error as Error).message } };
  }
}

function describe(outcome: Outcome): string {
  if ('error' in outcome)
    return `${outcome.source}\n  failed: ${outcome.error.code}: ${outcome.error.message}\n\n`;
  const lines = [outcome.source];
  const { title, link } = outcome.feed;
  lines.push(`  feed: ${title ?? '(untitled)'}${link ? ` <${link}>` : ''}`);
  lines.push(`  ${outcome.items.length} item(s)`);
  for (const warning of outcome.warnings) lines.push(`  warning: ${warning}`);
  for (const item of outcome.items) {
    lines.push(
      `  - ${item.published ? `${item.published.slice(0, 16).replace('T', ' ')}  ` : ''}${item.title}`,
    );
    if (item.link) lines.push(`    ${item.link}`);
  }
  return `${lines.join('\n')}\n\n`;
}

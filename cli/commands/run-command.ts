import type { Command } from 'commander';
import { loadConfig } from '#shared/config/load-config.ts';
import {
  type CommonOptions,
  configOverrides,
  OPTION_HELP,
  withConfigOption,
} from '../command-options.ts';
import { openLocalRuntime } from '../local-runtime.ts';
import { progressLine, summaryJson, summaryText } from '../sweep-progress.ts';

interface RunOptions extends CommonOptions {
  json?: boolean;
}

export function registerRunCommand(program: Command): void {
  withConfigOption(
    program
      .command('run')
      .description('run one sweep over the feed list: fetch, score, store matches, alert')
      .option('--feeds <file>', OPTION_HELP.feeds)
      .option('--data <dir>', OPTION_HELP.data)
      .option('--seeds <dir>', OPTION_HELP.seeds)
      .option('--json', 'print only the summary, as one JSON object')
      .option('--allow-private-network', 'allow feeds on loopback and private addresses'),
  ).action(async (options: RunOptions) => {
    const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
    const runtime = await openLocalRuntime(config, {
      // Alerts go to stderr with --json so stdout stays one JSON object.
      alertOutput: options.json ? process.stderr : process.stdout,
      feedsOption: options.feeds !== undefined,
    });
    try {
      let done = 0;
      const feeds = await runtime.currentFeeds();
      const total = feeds.length;
      const summary = await runtime.sweep(
        feeds,
        options.json
          ? undefined
          : (result, feed) =>
              process.stderr.write(`${progressLine(result, feed, ++done, total)}\n`),
      );
      process.stdout.write(`${options.json ? summaryJson(summary) : summaryText(summary)}\n`);
    } finally {
      await runtime.close();
    }
  });
}

import type { Command } from 'commander';
import { loadConfig } from '#shared/config/load-config.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import {
  API_BIND_HELP,
  type CommonOptions,
  configOverrides,
  OPTION_HELP,
  withConfigOption,
} from '../command-options.ts';
import { ExitCode } from '../exit-codes.ts';
import { type LocalApiServer, serveLocalApi } from '../local-api.ts';
import { openLocalRuntime } from '../local-runtime.ts';
import { progressLine, summaryText } from '../sweep-progress.ts';

export function registerStartCommand(program: Command): void {
  withConfigOption(
    program
      .command('start')
      .description(
        'the local monitor: sweep now and on every interval, keep matches, serve the API and the web page (on 127.0.0.1 unless --host or api.host says otherwise), print alerts',
      )
      .option('--feeds <file>', OPTION_HELP.feeds)
      .option('--data <dir>', OPTION_HELP.data)
      .option('--seeds <dir>', OPTION_HELP.seeds)
      .option('--host <address>', API_BIND_HELP.host)
      .option('--port <n>', API_BIND_HELP.port)
      .option('--interval <minutes>', OPTION_HELP.interval)
      .option('--allow-private-network', 'allow feeds on loopback and private addresses'),
  ).action(async (options: CommonOptions) => {
    const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
    const runtime = await openLocalRuntime(config, {
      advertiseStore: true,
      alertOutput: process.stdout,
      feedsOption: options.feeds !== undefined,
    });
    let server: LocalApiServer;
    try {
      server = await serveLocalApi(config, {
        store: runtime.local.store,
        profile: () => runtime.profiles.current(),
        profileVersions: { profiles: runtime.local.store.profiles, seedsDir: config.seedsDir },
        feeds: runtime.feedList,
      });
    } catch (error) {
      await runtime.close();
      throw error;
    }
    process.stdout.write(`newswatch API listening on ${server.url}\n`);
    process.stdout.write(
      `watching ${(await runtime.currentFeeds()).length} feeds every ${config.intervalMinutes} min for profile ${runtime.profile.version} (overlay version ${runtime.profile.overlayVersion}); Ctrl-C stops\n`,
    );

    let timer: NodeJS.Timeout | undefined;
    let current: Promise<void> = Promise.resolve();
    let stopping = false;

    const sweep = async (): Promise<void> => {
      process.stdout.write(`\nsweep started ${new Date().toISOString()}\n`);
      let done = 0;
      const feeds = await runtime.currentFeeds();
      const total = feeds.length;
      const summary = await runtime.sweep(feeds, (result, feed) => {
        if (!stopping) process.stdout.write(`${progressLine(result, feed, ++done, total)}\n`);
      });
      process.stdout.write(`${summaryText(summary)}\n`);
    };
    const schedule = (): void => {
      if (stopping) return;
      current = sweep()
        .catch((error: unknown) => {
          process.stderr.write(`sweep failed: ${terminalText((error as Error).message)}\n`);
        })
        .finally(() => {
          if (!stopping) timer = setTimeout(schedule, config.intervalMinutes * 60_000);
        });
    };

    await new Promise<void>((resolve) => {
      const stop = async (): Promise<void> => {
        if (stopping) {
          process.stderr.write('stopping now\n');
          process.exit(ExitCode.Failure);
        }
        stopping = true;
        process.stdout.write('\nstopping: finishing the current sweep (Ctrl-C again to force)\n');
        clearTimeout(timer);
        await server.close();
        await current;
        await runtime.close();
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      schedule();
    });
    process.stdout.write('stopped\n');
  });
}

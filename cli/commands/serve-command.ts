import type { Command } from 'commander';
import { loadConfig } from '#shared/config/load-config.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { type CommonOptions, configOverrides, withConfigOption } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { type LocalApiServer, serveLocalApi } from '../local-api.ts';
import { openLocalStore } from '../local-store.ts';

/** `newswatch serve`: the API of the deployed stack on 127.0.0.1, over the local store. */
export function registerServeCommand(program: Command): void {
  withConfigOption(
    program
      .command('serve')
      .description(
        `serve the API of the deployed stack and the web page on 127.0.0.1 over the local store (set NEWSWATCH_API_KEY or api.localKey to require an x-api-key)`,
      )
      .option('--port <n>', 'port on 127.0.0.1 (default: 8787; 0 picks a free one)')
      .option('--data <dir>', 'data folder of the embedded store (default: .newswatch)')
      .option('--seeds <dir>', 'seed articles and profile overlay (default: seeds)'),
  ).action(async (options: CommonOptions) => {
    const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
    let profile: Awaited<ReturnType<typeof loadProfile>>;
    try {
      profile = await loadProfile(config.seedsDir, { thresholds: config.thresholds });
    } catch (error) {
      throw new CliError((error as Error).message, ExitCode.Usage);
    }
    const local = await openLocalStore(config.dataDir, { advertise: true });
    let server: LocalApiServer;
    try {
      server = await serveLocalApi(config, { store: local.store, profile: () => profile });
    } catch (error) {
      await local.close();
      throw error;
    }
    process.stdout.write(`newswatch API listening on ${server.url}\n`);
    process.stdout.write(`profile ${profile.version}, data in ${config.dataDir}; Ctrl-C stops\n`);

    await new Promise<void>((stopped) => {
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        void server
          .close()
          .finally(() => local.close())
          .finally(stopped);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    process.stdout.write('stopped\n');
  });
}

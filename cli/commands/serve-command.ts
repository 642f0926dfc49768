import type { Command } from 'commander';
import { createApiRouter } from '#shared/api/api-router.ts';
import { startLocalApiServer } from '#shared/api/local-api-server.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { type CommonOptions, configOverrides, withConfigOption } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { openLocalStore } from '../local-store.ts';

interface ServeOptions extends CommonOptions {
  port?: string;
}

/** Environment variable holding an optional key the local API then requires in `x-api-key`. */

/** `newswatch serve`: the API of the deployed stack on 127.0.0.1, over the local store. */
export function registerServeCommand(program: Command): void {
  withConfigOption(
    program
      .command('serve')
      .description(
        `serve the API of the deployed stack on 127.0.0.1 over the local store (set NEWSWATCH_API_KEY or api.localKey to require an x-api-key)`,
      )
      .option('--port <n>', 'port on 127.0.0.1 (default: 8787; 0 picks a free one)')
      .option('--data <dir>', 'data folder of the embedded store (default: .newswatch)')
      .option('--seeds <dir>', 'seed articles and profile overlay (default: seeds)'),
  ).action(async (options: ServeOptions) => {
    const config = loadConfig({
      file: options.config,
      overrides: {
        ...configOverrides(options),
        ...(options.port !== undefined ? { api: { port: parsePort(options.port) } } : {}),
      },
    });
    let profile: Awaited<ReturnType<typeof loadProfile>>;
    try {
      profile = await loadProfile(config.seedsDir, { thresholds: config.thresholds });
    } catch (error) {
      throw new CliError((error as Error).message, ExitCode.Usage);
    }
    const local = await openLocalStore(config.dataDir, { advertise: true });
    const router = createApiRouter({
      store: local.store,
      profile: () => profile,
      corsOrigins: config.api.corsOrigins,
      log: (entry) => process.stderr.write(`${JSON.stringify(entry)}\n`),
    });
    let server: Awaited<ReturnType<typeof startLocalApiServer>>;
    try {
      server = await startLocalApiServer({
        router,
        port: config.api.port,
        host: config.api.host,
        apiKey: config.api.localKey,
      });
    } catch (error) {
      await local.close();
      throw new CliError(
        `cannot serve the API on port ${config.api.port}: ${(error as Error).message} (choose another with --port or NEWSWATCH_API_PORT)`,
        ExitCode.Usage,
      );
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

function parsePort(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65_535) {
    throw new CliError(
      `--port: expected a port number from 0 to 65535, got "${raw}"`,
      ExitCode.Usage,
    );
  }
  return Number(raw);
}

import type { Command } from 'commander';
import { createRemoteRouter } from '#shared/api/remote-reads.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createProfileSource } from '#shared/profile/profile-in-use.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import {
  API_BIND_HELP,
  type CommonOptions,
  configOverrides,
  OPTION_HELP,
  withConfigOption,
} from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { type LocalApiServer, serveLocalApi, serveRouter } from '../local-api.ts';
import { localFeedList } from '../local-feed-list.ts';
import { openLocalStore } from '../local-store.ts';
import { openRemoteApi, type RemoteOptions, withRemoteOption } from '../remote-api.ts';

/** `newswatch serve`: the API of the deployed stack, over the local store, on loopback by default. */
export function registerServeCommand(program: Command): void {
  withConfigOption(
    withRemoteOption(
      program
        .command('serve')
        .description(
          'serve the API of the deployed stack and the web page over the local store (or, with --remote, the deployed data), on 127.0.0.1 unless --host or api.host says otherwise; answers only requests addressed to localhost, 127.0.0.1 or [::1] there (set NEWSWATCH_API_KEY or api.localKey to require an x-api-key)',
        )
        .option('--host <address>', API_BIND_HELP.host)
        .option('--port <n>', API_BIND_HELP.port)
        .option('--data <dir>', OPTION_HELP.data)
        .option('--seeds <dir>', OPTION_HELP.seeds),
    ),
  ).action(async (options: CommonOptions & RemoteOptions) => {
    const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
    if (options.remote) {
      const api = openRemoteApi({ ...options, remote: options.remote });
      const server = await serveRouter(config, createRemoteRouter(api));
      process.stdout.write(`newswatch API listening on ${server.url}\n`);
      process.stdout.write(
        `serving ${api.baseUrl}, signed with your AWS credentials; Ctrl-C stops\n`,
      );
      await untilStopped(() => server.close());
      return;
    }
    try {
      await loadProfile(config.seedsDir, { thresholds: config.thresholds });
    } catch (error) {
      throw new CliError((error as Error).message, ExitCode.Usage);
    }
    const local = await openLocalStore(config.dataDir, { advertise: true });
    const profiles = createProfileSource({
      profiles: local.store.profiles,
      seedsDir: config.seedsDir,
      thresholds: config.thresholds,
    });
    let server: LocalApiServer;
    let profile: TopicProfile;
    try {
      profile = await profiles.current();
      server = await serveLocalApi(config, {
        store: local.store,
        profile: () => profiles.current(),
        profileVersions: { profiles: local.store.profiles, seedsDir: config.seedsDir },
        feeds: localFeedList(config, local.store),
      });
    } catch (error) {
      await local.close();
      throw error;
    }
    process.stdout.write(`newswatch API listening on ${server.url}\n`);
    process.stdout.write(
      `profile ${profile.version} (overlay version ${profile.overlayVersion}), data in ${config.dataDir}; Ctrl-C stops\n`,
    );

    await untilStopped(() => server.close().finally(() => local.close()));
  });
}

/** Waits for Ctrl-C or SIGTERM, then closes what was served. */
async function untilStopped(close: () => Promise<void>): Promise<void> {
  await new Promise<void>((stopped) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void close().finally(stopped);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('stopped\n');
}

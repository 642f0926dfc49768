import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { fetchRemoteProfile } from '#shared/api/remote-reads.ts';
import type { Config } from '#shared/config/config-schema.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { describeProfile } from '#shared/profile/describe-profile.ts';
import { loadProfile, ProfileError, type TopicProfile } from '#shared/profile/load-profile.ts';
import { createProfileSource } from '#shared/profile/profile-in-use.ts';
import {
  type CommonOptions,
  configOverrides,
  OPTION_HELP,
  withConfigOption,
} from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { openLocalStore } from '../local-store.ts';
import { openRemoteApi, type RemoteOptions, withRemoteOption } from '../remote-api.ts';
import { registerProfileChangeCommands } from './profile-change-commands.ts';

export interface ProfileOptions extends CommonOptions, RemoteOptions {
  json?: boolean;
}

/**
 * `newswatch profile`: the topic profile in use, and (subcommands) its overlay's versions: diff a
 * proposed overlay against it, apply one, list them, roll back.
 */
export function registerProfileCommand(program: Command): void {
  const profile = withConfigOption(
    withRemoteOption(
      program
        .command('profile')
        .description(
          'print the topic profile in use (with --seeds: the one a seeds folder gives); subcommands diff, apply, versions and rollback change it',
        )
        .option('--seeds <dir>', 'folder of seed articles and the optional profile.json')
        .option('--data <dir>', OPTION_HELP.data)
        .option('--json', 'print as JSON'),
    ),
  ).action(async (options: ProfileOptions) => {
    const shown = options.remote
      ? await fetchRemoteProfile(openRemoteApi({ ...options, remote: options.remote }))
      : await loadProfileForCli(options);
    process.stdout.write(
      options.json ? `${JSON.stringify(shown, null, 2)}\n` : describeProfile(shown),
    );
  });
  registerProfileChangeCommands(profile);
}

/** The config the options name; bad values are usage errors (loadConfig's ConfigError). */
export function profileConfig(options: CommonOptions): Config {
  return loadConfig({
    ...(options.config ? { file: options.config } : {}),
    overrides: configOverrides(options),
  });
}

/**
 * The profile the options name: the one a seeds folder gives when `--seeds` is given, else the
 * one in use in the local store (the seeds' own when no store was made yet). Bad seeds are a
 * usage error.
 */
export async function loadProfileForCli(options: CommonOptions): Promise<TopicProfile> {
  const config = profileConfig(options);
  try {
    if (options.seeds || !existsSync(config.dataDir)) {
      return await loadProfile(config.seedsDir, { thresholds: config.thresholds });
    }
    const local = await openLocalStore(config.dataDir);
    try {
      return await createProfileSource({
        profiles: local.store.profiles,
        seedsDir: config.seedsDir,
        thresholds: config.thresholds,
      }).current();
    } finally {
      await local.close();
    }
  } catch (error) {
    if (error instanceof ProfileError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
}

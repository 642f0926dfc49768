import type { Command } from 'commander';
import { fetchRemoteProfile } from '#shared/api/remote-reads.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { describeProfile } from '#shared/profile/describe-profile.ts';
import { loadProfile, ProfileError, type TopicProfile } from '#shared/profile/load-profile.ts';
import { type CommonOptions, configOverrides, withConfigOption } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { openRemoteApi, type RemoteOptions, withRemoteOption } from '../remote-api.ts';

interface ProfileOptions extends CommonOptions, RemoteOptions {
  json?: boolean;
}

/** `newswatch profile`: derive the topic profile from the seeds and show it. */
export function registerProfileCommand(program: Command): void {
  withConfigOption(
    withRemoteOption(
      program
        .command('profile')
        .description('derive the topic profile from the seed articles and print it')
        .option('--seeds <dir>', 'folder of seed articles and the optional profile.json')
        .option('--json', 'print the profile as one JSON object'),
    ),
  ).action(async (options: ProfileOptions) => {
    const profile = options.remote
      ? await fetchRemoteProfile(openRemoteApi({ ...options, remote: options.remote }))
      : await loadProfileForCli(options);
    process.stdout.write(
      options.json ? `${JSON.stringify(profile, null, 2)}\n` : describeProfile(profile),
    );
  });
}

/** Loads the profile named by the options and config; bad seeds are a usage error. */
export async function loadProfileForCli(options: CommonOptions): Promise<TopicProfile> {
  const config = loadConfig({
    ...(options.config ? { file: options.config } : {}),
    overrides: configOverrides(options),
  });
  try {
    return await loadProfile(config.seedsDir, { thresholds: config.thresholds });
  } catch (error) {
    if (error instanceof ProfileError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
}

import type { Command } from 'commander';
import {
  createSignedApiClient,
  type RemoteApi,
  RemoteApiError,
} from '#shared/api/signed-api-client.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** `--remote` and `--region`, on every command that can read the deployed API. */
export interface RemoteOptions {
  remote?: string;
  region?: string;
}

export function withRemoteOption(command: Command): Command {
  return command
    .option(
      '--remote <url>',
      "the deployed API instead of the local store (the stack's ApiUrl output); requests are signed with your AWS credentials",
    )
    .option(
      '--region <name>',
      'AWS region of --remote when its host does not name one (default: AWS_REGION)',
    );
}

/** The signed client for `--remote`; a URL or region it cannot use is the user's to fix. */
export function openRemoteApi(options: RemoteOptions & { remote: string }): RemoteApi {
  try {
    return createSignedApiClient({
      baseUrl: options.remote,
      region: options.region,
      defaultRegion: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    });
  } catch (error) {
    if (error instanceof RemoteApiError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
}

import type { Command } from 'commander';
import type { ConfigInput } from '#shared/config/config-schema.ts';

/** Options every command that touches config shares, so they read the same everywhere. */
export interface CommonOptions {
  config?: string;
  feeds?: string;
  seeds?: string;
  data?: string;
  allowPrivateNetwork?: boolean;
}

export function withConfigOption(command: Command): Command {
  return command.option(
    '--config <file>',
    'config file (default: newswatch.config.json if present)',
  );
}

/** Command-line values as config overrides; unset options leave the file and environment alone. */
export function configOverrides(options: CommonOptions): ConfigInput {
  return {
    ...(options.feeds ? { feedsFile: options.feeds } : {}),
    ...(options.seeds ? { seedsDir: options.seeds } : {}),
    ...(options.data ? { dataDir: options.data } : {}),
    ...(options.allowPrivateNetwork ? { fetch: { allowPrivateNetwork: true } } : {}),
  };
}

import type { Command } from 'commander';
import { CONFIG_DEFAULTS, type ConfigInput } from '#shared/config/config-schema.ts';
import { DEFAULT_CONFIG_FILE } from '#shared/config/load-config.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** Options every command that touches config shares, so they read the same everywhere. */
export interface CommonOptions {
  config?: string;
  feeds?: string;
  seeds?: string;
  data?: string;
  allowPrivateNetwork?: boolean;
  port?: string;
  host?: string;
  interval?: string;
}

/** Help texts of the shared options, their defaults read from the config schema. */
export const OPTION_HELP = {
  config: `config file (default: ${DEFAULT_CONFIG_FILE} if present)`,
  feeds: `feed list (JSON or OPML) that seeds a store holding none yet (default: ${CONFIG_DEFAULTS.feedsFile})`,
  data: `data folder of the embedded store (default: ${CONFIG_DEFAULTS.dataDir})`,
  seeds: `seed articles and profile overlay (default: ${CONFIG_DEFAULTS.seedsDir})`,
  interval: `minutes between sweeps (default: ${CONFIG_DEFAULTS.intervalMinutes})`,
} as const;

export function withConfigOption(command: Command): Command {
  return command.option('--config <file>', OPTION_HELP.config);
}

/** What `serve` and `start` say about where the API listens, so both say the same. */
export const API_BIND_HELP = {
  host: `address the API binds (default: ${CONFIG_DEFAULTS.api.host}, this machine only; any other address needs NEWSWATCH_API_KEY and is refused without it)`,
  port: `API port (default: ${CONFIG_DEFAULTS.api.port}; 0 picks a free one)`,
} as const;

/** Command-line values as config overrides; unset options leave the file and environment alone. */
export function configOverrides(options: CommonOptions): ConfigInput {
  return {
    ...(options.feeds ? { feedsFile: options.feeds } : {}),
    ...(options.seeds ? { seedsDir: options.seeds } : {}),
    ...(options.data ? { dataDir: options.data } : {}),
    ...(options.allowPrivateNetwork ? { fetch: { allowPrivateNetwork: true } } : {}),
    ...(options.port !== undefined || options.host !== undefined
      ? {
          api: {
            ...(options.port !== undefined
              ? { port: parseWholeNumber('--port', options.port, 65_535) }
              : {}),
            ...(options.host !== undefined ? { host: options.host } : {}),
          },
        }
      : {}),
    ...(options.interval !== undefined
      ? { intervalMinutes: parseWholeNumber('--interval', options.interval, 1440) }
      : {}),
  };
}

/** A whole-number option, checked before it reaches the config so the message names the flag. */
export function parseWholeNumber(
  option: string,
  raw: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    throw new CliError(
      `${option}: expected a whole number from 0 to ${max}, got "${raw}"`,
      ExitCode.Usage,
    );
  }
  return Number(raw);
}

import { createApiRouter } from '#shared/api/api-router.ts';
import { startLocalApiServer } from '#shared/api/local-api-server.ts';
import type { Config } from '#shared/config/config-schema.ts';
import type { Store } from '#shared/store/store-ports.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { terminalJson } from './terminal-output.ts';

export type LocalApiServer = Awaited<ReturnType<typeof startLocalApiServer>>;

/**
 * Serves the deployed stack's API routes on localhost over the local store, for `serve` and
 * `start` alike. A port that cannot be bound is the user's to change, so it is a usage error.
 */
export async function serveLocalApi(
  config: Config,
  deps: {
    store: Pick<Store, 'listMatches' | 'getMatch' | 'listFeedStates'>;
    profile: () => unknown;
  },
): Promise<LocalApiServer> {
  const router = createApiRouter({
    ...deps,
    corsOrigins: config.api.corsOrigins,
    log: (entry) => process.stderr.write(`${terminalJson(entry)}\n`),
  });
  try {
    return await startLocalApiServer({
      router,
      port: config.api.port,
      host: config.api.host,
      apiKey: config.api.localKey,
    });
  } catch (error) {
    throw new CliError(
      `cannot serve the API on port ${config.api.port}: ${(error as Error).message} (choose another with --port or NEWSWATCH_API_PORT)`,
      ExitCode.Usage,
    );
  }
}

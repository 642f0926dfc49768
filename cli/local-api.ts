import { createApiRouter } from '#shared/api/api-router.ts';
import type { ApiStore } from '#shared/api/api-routes.ts';
import { startLocalApiServer } from '#shared/api/local-api-server.ts';
import type { Config } from '#shared/config/config-schema.ts';
import { createWebSite, withWebSite } from '#shared/web/web-site.ts';
import { CliError, ExitCode } from './exit-codes.ts';

export type LocalApiServer = Awaited<ReturnType<typeof startLocalApiServer>>;

/**
 * Serves the deployed stack's API routes on localhost over the local store, for `serve` and
 * `start` alike. A port that cannot be bound is the user's to change, so it is a usage error.
 */
export async function serveLocalApi(
  config: Config,
  deps: {
    store: ApiStore;
    profile: () => unknown;
  },
): Promise<LocalApiServer> {
  const router = withWebSite(
    createApiRouter({
      ...deps,
      corsOrigins: config.api.corsOrigins,
      log: (entry) => process.stderr.write(`${JSON.stringify(entry)}\n`),
    }),
    createWebSite(),
  );
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

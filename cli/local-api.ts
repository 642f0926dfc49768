import { createApiRouter } from '#shared/api/api-router.ts';
import type { ApiStore } from '#shared/api/api-routes.ts';
import type { ApiRouter } from '#shared/api/api-types.ts';
import { startLocalApiServer, UnprotectedBindError } from '#shared/api/local-api-server.ts';
import type { Config } from '#shared/config/config-schema.ts';
import type { FeedListService } from '#shared/feeds/feed-list-service.ts';
import type { ProfileVersionDeps } from '#shared/profile/profile-versions.ts';
import { createWebSite, withWebSite } from '#shared/web/web-site.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { terminalJson } from './terminal-output.ts';

export type LocalApiServer = Awaited<ReturnType<typeof startLocalApiServer>>;

/**
 * Serves the deployed stack's API routes over the local store, for `serve` and `start` alike, on
 * `api.host` (127.0.0.1 unless configured). A port that cannot be bound, or an address beyond
 * loopback without a key, is the user's to change, so it is a usage error.
 */
export async function serveLocalApi(
  config: Config,
  deps: {
    store: ApiStore;
    profile: () => unknown;
    profileVersions?: ProfileVersionDeps;
    feeds: FeedListService;
  },
): Promise<LocalApiServer> {
  const router = createApiRouter({
    ...deps,
    corsOrigins: config.api.corsOrigins,
    log: (entry) => process.stderr.write(`${terminalJson(entry)}\n`),
  });
  return serveRouter(config, router);
}

/**
 * Serves any router (the local store's, or one that forwards to the deployed API) on localhost,
 * with the web page in front of it, so the page works the same against either.
 */
export async function serveRouter(config: Config, apiRouter: ApiRouter): Promise<LocalApiServer> {
  const router = withWebSite(apiRouter, createWebSite());
  try {
    return await startLocalApiServer({
      router,
      port: config.api.port,
      host: config.api.host,
      apiKey: config.api.localKey,
    });
  } catch (error) {
    if (error instanceof UnprotectedBindError) throw new CliError(error.message, ExitCode.Usage);
    throw new CliError(
      `cannot serve the API on port ${config.api.port}: ${(error as Error).message} (choose another with --port or NEWSWATCH_API_PORT)`,
      ExitCode.Usage,
    );
  }
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import { createLocalAlertSink } from '#shared/alerts/local-alert-sink.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import type { Config } from '#shared/config/config-schema.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedListService } from '#shared/feeds/feed-list-service.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { feedSpecOf } from '#shared/feeds/listed-feed.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';
import { runSweep, type SweepSummary } from '#shared/sweep/run-sweep.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { localFeedList } from './local-feed-list.ts';
import { type LocalStore, openLocalStore } from './local-store.ts';

export interface LocalRuntime {
  /** The stored feed list (seeded from `feedsFile` on a fresh store). */
  feedList: FeedListService;
  profile: Awaited<ReturnType<typeof loadProfile>>;
  scorer: Scorer;
  local: LocalStore;
  /** The feeds to sweep now, read from the store so a change made meanwhile counts. */
  currentFeeds(): Promise<FeedSpec[]>;
  /** One sweep over these feeds, alerts included; digests flushed when due. */
  sweep(
    feeds: FeedSpec[],
    onFeedDone?: (result: FeedIngestResult, feed: FeedSpec) => void,
  ): Promise<SweepSummary>;
  close(): Promise<void>;
}

/**
 * Everything a local sweep needs, built from one config: the same domain code as the Lambdas,
 * with the embedded store and the terminal/JSONL alert sink as adapters.
 */
export async function openLocalRuntime(
  config: Config,
  options: {
    advertiseStore?: boolean;
    alertOutput?: NodeJS.WritableStream;
    /** `--feeds` was given: say so when the store's list is already there and wins. */
    feedsOption?: boolean;
  } = {},
): Promise<LocalRuntime> {
  const profile = await loadInputs(() =>
    loadProfile(config.seedsDir, { thresholds: config.thresholds }),
  );
  const scorer = createScorer(profile);
  const local = await openLocalStore(config.dataDir, { advertise: options.advertiseStore });
  let seeded = false;
  const feedList = localFeedList(config, local.store, () => {
    seeded = true;
  });
  let warned = !options.feedsOption;
  const currentFeeds = async (): Promise<FeedSpec[]> => {
    const feeds = (await feedList.list()).map(feedSpecOf);
    if (!warned && !seeded) {
      process.stderr.write(
        `newswatch: the store under ${config.dataDir} already holds a feed list (${feeds.length} feeds), which wins over --feeds; change it with \`newswatch feeds add|remove|import\`\n`,
      );
    }
    warned = true;
    return feeds;
  };
  const alerts = createAlertService({
    store: local.store,
    publisher: createLocalAlertSink({ dataDir: config.dataDir, output: options.alertOutput }),
    settings: config.alerts,
  });
  const digest = digestClock(config.dataDir, config.alerts.mode);
  const deps = {
    poller: createFeedPoller({
      allowPrivateNetwork: config.fetch.allowPrivateNetwork,
      timeoutMs: config.fetch.timeoutMs,
      maxBodyBytes: config.fetch.maxBodyBytes,
      perHostConcurrency: config.fetch.perHostConcurrency,
    }),
    store: local.store,
    scorer,
    stories: createStoryAssigner(local.store),
    concurrency: config.fetch.concurrency,
  };
  const sweep = async (
    feeds: FeedSpec[],
    onFeedDone?: (result: FeedIngestResult, feed: FeedSpec) => void,
  ): Promise<SweepSummary> => {
    // maxPerSweep spans the whole sweep, not each feed's handful of matches.
    const sweepBudget = { sent: 0 };
    const summary = await runSweep(feeds, {
      ...deps,
      onFeedDone,
      alert: async (matches) => (await alerts.handleNewMatches(matches, { sweepBudget })).sent,
    });
    if (digest.isDue()) {
      summary.alerts += await alerts.flushDigest();
      digest.flushed();
    }
    return summary;
  };
  return {
    feedList,
    currentFeeds,
    profile,
    scorer,
    local,
    sweep,
    close: () => local.close(),
  };
}

const DIGEST_PERIOD_MS = { instant: 0, hourly: 3_600_000, daily: 86_400_000 } as const;

/**
 * When the digest goes out: after every sweep in instant mode (it only carries what the caps held
 * back), else once per period, remembered across runs in the data folder.
 */
function digestClock(dataDir: string, mode: keyof typeof DIGEST_PERIOD_MS) {
  const file = join(dataDir, 'last-digest');
  const last = (): number => (existsSync(file) ? Date.parse(readFileSync(file, 'utf8')) || 0 : 0);
  return {
    isDue: () => Date.now() - last() >= DIGEST_PERIOD_MS[mode],
    flushed: () => writeFileSync(file, new Date().toISOString()),
  };
}

/** Bad seeds are the user's to fix: report them as usage errors. */
async function loadInputs<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.Usage);
  }
}

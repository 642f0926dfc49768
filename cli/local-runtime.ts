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
import { terminalText } from '#shared/feeds/text-clean.ts';
import { loadProfile, OVERLAY_FILE } from '#shared/profile/load-profile.ts';
import { createProfileSource, type ProfileSource } from '#shared/profile/profile-in-use.ts';
import { overlayFileDiffers } from '#shared/profile/profile-versions.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';
import { runSweep, type SweepSummary } from '#shared/sweep/run-sweep.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { localFeedList } from './local-feed-list.ts';
import { type LocalStore, openLocalStore } from './local-store.ts';

export interface LocalRuntime {
  /** The stored feed list (seeded from `feedsFile` on a fresh store). */
  feedList: FeedListService;
  /** The profile in use when the runtime opened. */
  profile: TopicProfile;
  /** The profile in use now: each sweep scores with the overlay version in use when it starts. */
  profiles: ProfileSource;
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
  // The seeds are checked before the store opens, so a bad folder fails fast and touches nothing.
  await loadInputs(() => loadProfile(config.seedsDir, { thresholds: config.thresholds }));
  const local = await openLocalStore(config.dataDir, { advertise: options.advertiseStore });
  const profiles = createProfileSource({
    profiles: local.store.profiles,
    seedsDir: config.seedsDir,
    thresholds: config.thresholds,
  });
  let profile: TopicProfile;
  try {
    profile = await loadInputs(() => profiles.current());
    await noteEditedOverlay(local, config.seedsDir);
  } catch (error) {
    await local.close();
    throw error;
  }
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
      scorer: await profiles.currentScorer(),
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
    profiles,
    local,
    sweep,
    close: () => local.close(),
  };
}

/** An edited `profile.json` scores nothing until applied: say so, and how, on stderr. */
async function noteEditedOverlay(local: LocalStore, seedsDir: string): Promise<void> {
  const inUse = await overlayFileDiffers(local.store.profiles, seedsDir);
  if (inUse === undefined) return;
  const file = terminalText(join(seedsDir, OVERLAY_FILE));
  process.stderr.write(
    `note: ${file} differs from the profile overlay in use (version ${inUse}); \`newswatch profile diff --overlay ${file}\` shows what it would change, \`newswatch profile apply --overlay ${file}\` puts it in use\n`,
  );
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

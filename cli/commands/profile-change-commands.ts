import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { remoteFeedback } from '#shared/api/remote-feedback.ts';
import {
  fetchRemoteProfileVersions,
  postRemoteProfileVersion,
  putRemoteProfileInUse,
} from '#shared/api/remote-profile-versions.ts';
import { fetchRemoteProfile, remoteMatchReader } from '#shared/api/remote-reads.ts';
import type { Config } from '#shared/config/config-schema.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { loadFeedList } from '#shared/feeds/load-feed-list.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { combineBacktestItems } from '#shared/profile/backtest-items.ts';
import { ProfileError, type TopicProfile } from '#shared/profile/load-profile.ts';
import { type BacktestItem, backtestProfiles } from '#shared/profile/profile-backtest.ts';
import { ProfileVersionNotFoundError } from '#shared/profile/profile-error.ts';
import { createProfileSource } from '#shared/profile/profile-in-use.ts';
import {
  applyProfileOverlay,
  listProfileVersions,
  useProfileOverlayVersion,
} from '#shared/profile/profile-versions.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { ProfileInUse } from '#shared/store/store-ports.ts';
import { OPTION_HELP } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { type LocalStore, openLocalStore } from '../local-store.ts';
import {
  describeBacktest,
  feedbackItems,
  gradedItems,
  type InputRejections,
  proposedProfile,
  readJsonFile,
  recentItems,
  storedItems,
  unmatchedFeedItems,
} from '../profile-diff.ts';
import { openRemoteApi } from '../remote-api.ts';
import { type ProfileOptions, profileConfig } from './profile-command.ts';

interface DiffOptions {
  overlay?: string;
  /** False with --no-feedback. */
  feedback: boolean;
  fetch?: boolean;
  labels?: string;
  items?: string;
  stored: string;
  show: string;
}

/** A version as the commands print it (stored locally or listed by the API). */
interface ShownVersion {
  number: number;
  createdAt: string;
  createdBy: string;
  note?: string;
  profileVersion: string;
}

/** `profile diff | apply | versions | rollback`, under `newswatch profile`. */
export function registerProfileChangeCommands(profile: Command): void {
  profile
    .command('diff')
    .description(
      'backtest a proposed overlay (or seeds folder, with --seeds) against the profile in use: on the stored matches, your grades (newswatch feedback), graded items from --labels and recent items, what would newly match, newly alert and drop, what it fixes and breaks among the graded items and the change in their precision, recall and F1; changes nothing',
    )
    .option('--overlay <file>', 'the proposed overlay, in the shape of seeds/profile.json')
    .option('--no-feedback', 'leave out the grades stored with newswatch feedback')
    .option(
      '--labels <file>',
      'more graded items, JSON Lines in the labeled set\'s format ({"id","title","summary","grade"}); an id you graded with newswatch feedback keeps your stored grade',
    )
    .option('--items <file>', 'recent items to score too, JSON Lines ({"title","summary"?,"id"?})')
    .option(
      '--fetch',
      'also poll the feed list now and score the items the profile in use does not match',
    )
    .option('--feeds <file>', OPTION_HELP.feeds)
    .option('--allow-private-network', 'allow feeds on loopback and private addresses')
    .option('--stored <n>', 'most stored matches to rescore, newest first', '1000')
    .option('--show <n>', 'items listed per kind of change', '20')
    .action(async (options: DiffOptions, command: Command) => {
      const common = command.optsWithGlobals() as ProfileOptions & DiffOptions;
      if (!options.overlay && !common.seeds) {
        throw new CliError(
          'give the proposed profile with --overlay FILE or --seeds DIR',
          ExitCode.Usage,
        );
      }
      const stored = wholeNumber('--stored', options.stored);
      const show = wholeNumber('--show', options.show);
      const config = profileConfig({ ...common, seeds: undefined });
      const rejections: InputRejections = { lines: [] };
      const labeled = options.labels ? gradedItems(options.labels, rejections) : [];
      const given = options.items ? recentItems(options.items, rejections) : [];
      const state = { stored, feedback: options.feedback };
      const { current, inUseOverlay, storedMatches, feedback } = common.remote
        ? await remoteState(common, state)
        : await localState(config, state);
      const proposed = await proposedProfile({
        seedsDir: common.seeds ?? config.seedsDir,
        overlayFile: options.overlay,
        inUseOverlay,
        thresholds: config.thresholds,
      });
      const fetched = options.fetch
        ? await fetchedItems(config, createScorer(current), rejections)
        : [];
      // The user's stored grade is the latest word on an item (the store keeps the last one), and
      // a labels file is often an older `eval --export` of those same grades or someone else's set.
      const { items, repeated } = combineBacktestItems([
        feedback,
        labeled,
        storedMatches,
        given,
        fetched,
      ]);
      const report = backtestProfiles(items, createScorer(current), createScorer(proposed));
      const proposedFrom = options.overlay ?? common.seeds ?? '';
      process.stdout.write(
        common.json
          ? `${JSON.stringify({ current: current.version, currentOverlayVersion: current.overlayVersion, proposed: proposed.version, repeated, ...report }, null, 2)}\n`
          : describeBacktest(report, { current, proposed, proposedFrom }, show, repeated),
      );
      reportRejections(rejections);
    });

  profile
    .command('apply')
    .description(
      'make an overlay the profile in use (a new version; older ones kept), or with --version N put a stored version back; the next sweep scores with it',
    )
    .option('--overlay <file>', 'the overlay, in the shape of seeds/profile.json')
    .option('--version <n>', 'a stored version to put back in use (as `rollback N`)')
    .option('--note <text>', 'why, kept with the version')
    .action(
      async (options: { overlay?: string; version?: string; note?: string }, command: Command) => {
        const common = command.optsWithGlobals() as ProfileOptions;
        if (Boolean(options.overlay) === Boolean(options.version)) {
          throw new CliError('give either --overlay FILE or --version N', ExitCode.Usage);
        }
        if (options.version) {
          await rollback(common, wholeNumber('--version', options.version));
          return;
        }
        const overlay = readJsonFile(options.overlay as string);
        const version = common.remote
          ? await postRemoteProfileVersion(remoteApi(common), overlay, options.note)
          : await withLocalVersions(common, (deps) =>
              asUsageError(() =>
                applyProfileOverlay(deps, overlay, { by: localUser(), note: options.note }),
              ),
            );
        process.stdout.write(
          `profile overlay version ${version.number} is in use (profile ${version.profileVersion}); the next sweep scores with it\n`,
        );
      },
    );

  profile
    .command('versions')
    .description('list the overlay versions, newest first, and which one is in use')
    .action(async (_options: object, command: Command) => {
      const common = command.optsWithGlobals() as ProfileOptions;
      const { inUse, versions } = common.remote
        ? await remoteVersions(common)
        : await withLocalVersions(common, (deps) => listProfileVersions(deps));
      if (common.json) {
        process.stdout.write(`${JSON.stringify({ inUse, items: versions }, null, 2)}\n`);
        return;
      }
      for (const version of versions) process.stdout.write(`${versionLine(version, inUse)}\n`);
    });

  profile
    .command('rollback <version>')
    .description('put a stored overlay version back in use (nothing is removed)')
    .action(async (number: string, _options: object, command: Command) => {
      await rollback(command.optsWithGlobals() as ProfileOptions, wholeNumber('version', number));
    });
}

async function rollback(common: ProfileOptions, number: number): Promise<void> {
  const version = common.remote
    ? await putRemoteProfileInUse(remoteApi(common), number)
    : await withLocalVersions(common, async (deps) => {
        try {
          return await useProfileOverlayVersion(deps, number, { by: localUser() });
        } catch (error) {
          if (error instanceof ProfileVersionNotFoundError) {
            throw new CliError(error.message, ExitCode.Usage);
          }
          throw error;
        }
      });
  process.stdout.write(
    `profile overlay version ${version.number} is in use again (profile ${version.profileVersion}); the next sweep scores with it\n`,
  );
}

type VersionDeps = Parameters<typeof listProfileVersions>[0];

/** Runs `use` on the local store's versions, closing the store afterwards. */
async function withLocalVersions<T>(
  common: ProfileOptions,
  use: (deps: VersionDeps) => Promise<T>,
): Promise<T> {
  const config = profileConfig(common);
  const local = await openLocalStore(config.dataDir);
  try {
    return await use({ profiles: local.store.profiles, seedsDir: config.seedsDir });
  } finally {
    await local.close();
  }
}

/** What a diff reads from the store besides the proposal. */
interface StateWanted {
  /** Most stored matches. */
  stored: number;
  /** Whether to read the stored grades. */
  feedback: boolean;
}

/** The profile in use locally, its overlay, the stored matches to rescore and the grades. */
async function localState(config: Config, wanted: StateWanted) {
  const local: LocalStore = await openLocalStore(config.dataDir);
  try {
    const source = createProfileSource({
      profiles: local.store.profiles,
      seedsDir: config.seedsDir,
      thresholds: config.thresholds,
    });
    const current = await asUsageError(() => source.current());
    const version = await local.store.profiles.getProfileVersion(current.overlayVersion ?? 1);
    return {
      current,
      inUseOverlay: version?.overlay ?? '{}',
      storedMatches: await storedItems(local.store, wanted.stored),
      feedback: wanted.feedback ? await feedbackItems(local.store) : [],
    };
  } finally {
    await local.close();
  }
}

/** The deployed profile in use, its overlay, its stored matches and grades, over the signed API. */
async function remoteState(common: ProfileOptions, wanted: StateWanted) {
  const api = remoteApi(common);
  const current: TopicProfile = await fetchRemoteProfile(api);
  const { inUse, items } = await fetchRemoteProfileVersions(api);
  const version = items.find((item) => item.number === inUse.number);
  return {
    current,
    inUseOverlay: JSON.stringify(version?.overlay ?? {}),
    storedMatches: await storedItems(remoteMatchReader(api), wanted.stored),
    feedback: wanted.feedback ? await feedbackItems(remoteFeedback(api)) : [],
  };
}

/** The feed list's items now, those the profile in use does not match. */
async function fetchedItems(
  config: Config,
  current: Scorer,
  rejections: InputRejections,
): Promise<BacktestItem[]> {
  let feeds: FeedSpec[];
  try {
    feeds = await loadFeedList(config.feedsFile);
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.Usage);
  }
  const poller = createFeedPoller({
    allowPrivateNetwork: config.fetch.allowPrivateNetwork,
    timeoutMs: config.fetch.timeoutMs,
    maxBodyBytes: config.fetch.maxBodyBytes,
    perHostConcurrency: config.fetch.perHostConcurrency,
  });
  return unmatchedFeedItems(feeds, poller, current, config.fetch.concurrency, rejections);
}

async function remoteVersions(common: ProfileOptions) {
  const { inUse, items } = await fetchRemoteProfileVersions(remoteApi(common));
  return { inUse, versions: items };
}

function remoteApi(common: ProfileOptions) {
  return openRemoteApi({ ...common, remote: common.remote as string });
}

function versionLine(version: ShownVersion, inUse: ProfileInUse): string {
  const mark = version.number === inUse.number ? '*' : ' ';
  const note = version.note ? `  ${terminalText(version.note)}` : '';
  return `${mark} ${String(version.number).padStart(3)}  ${version.createdAt}  ${terminalText(version.createdBy)}  ${version.profileVersion}${note}`;
}

async function asUsageError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProfileError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
}

function reportRejections(rejections: InputRejections): void {
  for (const line of rejections.lines) process.stderr.write(`newswatch: ${terminalText(line)}\n`);
  if (rejections.lines.length > 0) process.exitCode = ExitCode.Partial;
}

function wholeNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new CliError(
      `${name}: expected a whole number of 1 or more, got ${JSON.stringify(raw)}`,
      ExitCode.Usage,
    );
  }
  return value;
}

/** Who applied a change locally: the user's login name. */
function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local user';
  }
}

import type { ProfileOverlayVersion, ProfileStore } from '#shared/store/store-ports.ts';
import { profileFromOverlay, readSeedDocuments } from './load-profile.ts';
import { ProfileError } from './profile-error.ts';
import { seedProfileVersion } from './profile-versions.ts';
import type { Scorer } from './score-types.ts';
import { createScorer } from './scorer.ts';
import type { SeedDocument } from './seed-analysis.ts';
import type { TopicProfile } from './topic-profile.ts';

type ThresholdOverrides = { match?: number; alert?: number };

export interface ProfileSourceOptions {
  profiles: ProfileStore;
  /** The seed articles (and the `profile.json` version 1 is seeded from). */
  seedsDir: string;
  /** Config overrides, on top of whatever overlay is in use. */
  thresholds?: ThresholdOverrides;
  now?: () => Date;
}

/** The profile in use, as every function that scores or reports reads it. */
export interface ProfileSource {
  /**
   * Reads the in-use pointer (one consistent read; seeding version 1 from the seeds folder's
   * `profile.json` when the store has none) and derives the profile again only when it moved.
   */
  current(): Promise<TopicProfile>;
  /** The scorer of {@link current}, built again only when the profile changed. */
  currentScorer(): Promise<Scorer>;
}

export function createProfileSource(options: ProfileSourceOptions): ProfileSource {
  const now = options.now ?? (() => new Date());
  let documents: Promise<readonly SeedDocument[]> | undefined;
  let cached: { number: number; profile: TopicProfile; scorer?: Scorer } | undefined;
  const seeds = (): Promise<readonly SeedDocument[]> => {
    documents ??= readSeedDocuments(options.seedsDir).catch((error: unknown) => {
      documents = undefined;
      throw error;
    });
    return documents;
  };

  const current = async (): Promise<TopicProfile> => {
    const pointer =
      (await options.profiles.profileInUse()) ??
      (await seedProfileVersion(options.profiles, options.seedsDir, await seeds(), now()));
    if (cached?.number === pointer.number) return cached.profile;
    const version = await options.profiles.getProfileVersion(pointer.number);
    if (!version) {
      throw new ProfileError(
        `the profile in use is overlay version ${pointer.number}, which the store does not hold`,
      );
    }
    const profile = derive(await seeds(), version, options.thresholds);
    cached = { number: pointer.number, profile };
    return profile;
  };

  return {
    current,
    async currentScorer() {
      const profile = await current();
      if (!cached || cached.profile !== profile) return createScorer(profile);
      cached.scorer ??= createScorer(profile);
      return cached.scorer;
    },
  };
}

/** The profile one stored overlay version gives with these seeds. */
export function derive(
  documents: readonly SeedDocument[],
  version: ProfileOverlayVersion,
  thresholds: ThresholdOverrides = {},
): TopicProfile {
  return profileFromOverlay(
    documents,
    version.overlay,
    `profile overlay version ${version.number}`,
    {
      thresholds,
      overlayVersion: version.number,
    },
  );
}

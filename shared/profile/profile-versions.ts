import { join } from 'node:path';
import type {
  ProfileInUse,
  ProfileOverlayVersion,
  ProfileStore,
} from '#shared/store/store-ports.ts';
import {
  OVERLAY_FILE,
  profileFromOverlay,
  readOverlayText,
  readSeedDocuments,
} from './load-profile.ts';
import { ProfileVersionNotFoundError } from './profile-error.ts';
import type { SeedDocument } from './seed-analysis.ts';

/** Who seeded version 1, as `profile versions` lists it. */
export const SEEDED_BY = 'seeds';

export interface ProfileVersionDeps {
  profiles: ProfileStore;
  seedsDir: string;
  now?: () => Date;
}

/** A change to the profile in use: who asked, and why. */
export interface ProfileChange {
  by: string;
  note?: string;
}

/**
 * Version 1 is the seeds folder's `profile.json` as shipped (an empty overlay when there is
 * none), stored and put in use when the store holds no pointer yet; the pointer afterwards.
 */
export async function seedProfileVersion(
  profiles: ProfileStore,
  seedsDir: string,
  documents: readonly SeedDocument[],
  at: Date,
): Promise<ProfileInUse> {
  const file = join(seedsDir, OVERLAY_FILE);
  const text = await readOverlayText(seedsDir);
  // Validated as written first, so a broken file is reported as the file.
  profileFromOverlay(documents, text, file);
  const overlay = overlayText(text === undefined ? {} : JSON.parse(text));
  const profile = profileFromOverlay(documents, overlay, file);
  return profiles.seedProfileVersion({
    overlay,
    createdAt: at.toISOString(),
    createdBy: SEEDED_BY,
    note: `seeded from ${OVERLAY_FILE}`,
    profileVersion: profile.version,
  });
}

/**
 * The text an overlay is stored as: its JSON as given (defaults not filled in), laid out one way,
 * so equal overlays hash alike whether they came from a file, the CLI or the API.
 */
export function overlayText(overlay: unknown): string {
  return `${JSON.stringify(overlay, null, 2)}\n`;
}

/**
 * Stores the overlay (parsed JSON, as written) as a new version and puts it in use. It is
 * validated and the profile derived first, so a bad overlay (a ProfileError naming the key)
 * stores nothing; the shipped version 1 is seeded first, so it stays there to go back to.
 */
export async function applyProfileOverlay(
  deps: ProfileVersionDeps,
  written: unknown,
  change: ProfileChange,
): Promise<ProfileOverlayVersion> {
  const at = (deps.now ?? (() => new Date()))();
  const documents = await readSeedDocuments(deps.seedsDir);
  const overlay = overlayText(written);
  const profile = profileFromOverlay(documents, overlay, 'the overlay');
  if (!(await deps.profiles.profileInUse())) {
    await seedProfileVersion(deps.profiles, deps.seedsDir, documents, at);
  }
  const version = await deps.profiles.addProfileVersion({
    overlay,
    createdAt: at.toISOString(),
    createdBy: change.by,
    ...(change.note ? { note: change.note } : {}),
    profileVersion: profile.version,
  });
  await deps.profiles.useProfileVersion({
    number: version.number,
    since: at.toISOString(),
    by: change.by,
  });
  return version;
}

/** Puts a stored version back in use (a rollback); nothing is added or removed. */
export async function useProfileOverlayVersion(
  deps: ProfileVersionDeps,
  number: number,
  change: ProfileChange,
): Promise<ProfileOverlayVersion> {
  const at = (deps.now ?? (() => new Date()))();
  const version = await deps.profiles.getProfileVersion(number);
  if (!version) throw new ProfileVersionNotFoundError(number);
  await deps.profiles.useProfileVersion({ number, since: at.toISOString(), by: change.by });
  return version;
}

/** Every version, newest first, with the one in use marked (seeding version 1 if need be). */
export async function listProfileVersions(
  deps: ProfileVersionDeps,
): Promise<{ inUse: ProfileInUse; versions: ProfileOverlayVersion[] }> {
  const at = (deps.now ?? (() => new Date()))();
  const inUse =
    (await deps.profiles.profileInUse()) ??
    (await seedProfileVersion(
      deps.profiles,
      deps.seedsDir,
      await readSeedDocuments(deps.seedsDir),
      at,
    ));
  return { inUse, versions: await deps.profiles.listProfileVersions() };
}

/**
 * The overlay version in use when the seeds folder's `profile.json` says something else (an edit
 * made after version 1 was seeded, which scores nothing until applied); undefined when they agree.
 */
export async function overlayFileDiffers(
  profiles: ProfileStore,
  seedsDir: string,
): Promise<number | undefined> {
  const text = await readOverlayText(seedsDir);
  const pointer = await profiles.profileInUse();
  if (text === undefined || !pointer) return undefined;
  let written: string;
  try {
    written = overlayText(JSON.parse(text));
  } catch {
    return pointer.number;
  }
  const inUse = await profiles.getProfileVersion(pointer.number);
  return inUse && inUse.overlay !== written ? pointer.number : undefined;
}

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { deriveProfile } from './derive-profile.ts';
import { ProfileError } from './profile-error.ts';
import { type ProfileOverlay, ProfileOverlaySchema } from './profile-overlay-schema.ts';
import type { SeedDocument } from './seed-analysis.ts';
import { SCORER_VERSION, type TopicProfile } from './topic-profile.ts';

export { ProfileError } from './profile-error.ts';
export type { TopicProfile } from './topic-profile.ts';

/** The overlay file a user may add next to the seed articles. */
export const OVERLAY_FILE = 'profile.json';
const SEED_EXTENSIONS = new Set(['.txt', '.text', '.md']);

/** Reads the seed articles and the optional overlay of a seeds folder and derives the profile. */
export async function loadProfile(
  seedsDir: string,
  options: { thresholds?: { match?: number; alert?: number } } = {},
): Promise<TopicProfile> {
  const documents = await readSeedDocuments(seedsDir);
  const overlayText = await readOverlayText(seedsDir);
  return profileFromOverlay(documents, overlayText, join(seedsDir, OVERLAY_FILE), options);
}

/**
 * The profile of a seeds folder under overlays other than its own file, for trying changes on
 * graded items before any is written: the seeds are read once, each overlay derives a profile.
 */
export async function profileVariants(
  seedsDir: string,
  options: { thresholds?: { match?: number; alert?: number } } = {},
): Promise<(overlay: ProfileOverlay) => TopicProfile> {
  const documents = await readSeedDocuments(seedsDir);
  return (overlay) =>
    profileFromOverlay(documents, JSON.stringify(overlay), 'proposed overlay', options);
}

/** The overlay of a seeds folder as written (an empty one when the folder has none). */
export async function readOverlay(seedsDir: string): Promise<ProfileOverlay> {
  return parseOverlay(await readOverlayText(seedsDir), join(seedsDir, OVERLAY_FILE));
}

/**
 * The profile of these seed articles under this overlay text (absent: none), as `loadProfile`
 * derives it from a folder holding both; `source` names the overlay in errors. Equal inputs give
 * the same `version`, wherever the overlay text was kept.
 */
export function profileFromOverlay(
  documents: readonly SeedDocument[],
  overlayText: string | undefined,
  source: string,
  options: { thresholds?: { match?: number; alert?: number }; overlayVersion?: number } = {},
): TopicProfile {
  const overlay = parseOverlay(overlayText, source);
  const version = profileVersion(documents, overlayText);
  const profile = deriveProfile(
    documents,
    overlay,
    version,
    dropUndefined(options.thresholds ?? {}),
  );
  return options.overlayVersion === undefined
    ? profile
    : { ...profile, overlayVersion: options.overlayVersion };
}

/** The seed articles of a folder, in file name order; none is a {@link ProfileError}. */
export async function readSeedDocuments(seedsDir: string): Promise<SeedDocument[]> {
  let names: string[];
  try {
    names = await readdir(seedsDir);
  } catch (error) {
    throw new ProfileError(
      `cannot read the seeds folder ${seedsDir}: ${(error as Error).message}`,
      seedsDir,
    );
  }
  // A README explains the folder to people; it is not an example of the topic.
  const files = names
    .filter((name) => SEED_EXTENSIONS.has(extname(name).toLowerCase()))
    .filter((name) => !/^readme\b/i.test(name))
    .sort();
  const documents: SeedDocument[] = [];
  for (const file of files) {
    const text = await readFile(join(seedsDir, file), 'utf8');
    if (text.trim() !== '') documents.push({ file, text });
  }
  if (documents.length === 0) {
    throw new ProfileError(
      `no seed articles in ${seedsDir}: add at least one non-empty .txt file about the topic`,
      seedsDir,
    );
  }
  return documents;
}

/** The folder's overlay file as written, or undefined when it has none. */
export async function readOverlayText(seedsDir: string): Promise<string | undefined> {
  try {
    return await readFile(join(seedsDir, OVERLAY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProfileError(
      `cannot read ${join(seedsDir, OVERLAY_FILE)}: ${(error as Error).message}`,
    );
  }
}

/** Validates the overlay JSON; the error names the file and the offending key. */
export function parseOverlay(text: string | undefined, file: string): ProfileOverlay {
  if (text === undefined) return ProfileOverlaySchema.parse({});
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(`${file} is not valid JSON: ${(error as Error).message}`, file);
  }
  const parsed = ProfileOverlaySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new ProfileError(
      `${file}: ${key}: ${issue?.message ?? z.prettifyError(parsed.error)}`,
      file,
    );
  }
  return parsed.data;
}

/** Hash of the seed files, the overlay and the scorer version: equal inputs, equal version. */
function profileVersion(
  documents: readonly SeedDocument[],
  overlayText: string | undefined,
): string {
  const hash = createHash('sha256').update(SCORER_VERSION);
  for (const document of documents) hash.update(`\0${document.file}\0${document.text}`);
  hash.update(`\0${OVERLAY_FILE}\0${overlayText ?? ''}`);
  return `${SCORER_VERSION}-${hash.digest('hex').slice(0, 12)}`;
}

function dropUndefined(thresholds: { match?: number; alert?: number }) {
  return Object.fromEntries(Object.entries(thresholds).filter(([, value]) => value !== undefined));
}

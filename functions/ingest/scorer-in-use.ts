import type { ProfileSource } from '#shared/profile/profile-in-use.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { StoreFailureError } from './ingest-chunk.ts';

/**
 * The scorer of the profile in use, read once per invocation so an applied overlay scores from
 * the next chunk on. When the store cannot say which profile is in use, nothing is polled: the
 * chunk fails as a store failure and Lambda delivers it again.
 */
export async function scorerInUse(profiles: ProfileSource): Promise<Scorer> {
  try {
    return await profiles.currentScorer();
  } catch (error) {
    throw new StoreFailureError(
      `the profile in use could not be read, the chunk will be retried: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

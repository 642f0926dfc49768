import { z } from 'zod';

/**
 * The event that asks the alert function for the digest (the digest schedule's input), shared
 * with the re-drive, which finds it in the failure queue.
 */
export const FlushDigestEventSchema = z.object({ action: z.literal('flush-digest') });

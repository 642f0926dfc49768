import { z } from 'zod';
import { MAX_FEEDS_PER_EVENT } from '#functions/ingest/ingest-event.ts';

/**
 * How the schedule function cuts a tick's due feeds into ingest chunks. Set by
 * `infra/sweep-pipeline.ts` from its `ingestBatchSize` and `maxConcurrentIngests` props and
 * validated once per container with `readLambdaEnv`, like the variables of `lambda-env.ts`.
 */
export const ChunkEnvName = {
  ingestBatchSize: 'INGEST_BATCH_SIZE',
  maxConcurrentIngests: 'MAX_CONCURRENT_INGESTS',
} as const;

export const ChunkEnvSchema = z.object({
  [ChunkEnvName.ingestBatchSize]: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_FEEDS_PER_EVENT)
    .default(10),
  [ChunkEnvName.maxConcurrentIngests]: z.coerce.number().int().positive().default(10),
});
export type ChunkEnv = z.infer<typeof ChunkEnvSchema>;

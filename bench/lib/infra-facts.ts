import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const INFRA_DIR = resolve(import.meta.dirname, '..', '..', 'infra');

export interface InfraFacts {
  memoryMiB: Record<string, number>;
  ingestBatchSize?: number;
  maxConcurrentIngests?: number;
}

/**
 * Function memory sizes and the ingest batch settings, read from the CDK sources (the
 * `entry: FUNCTION_ENTRIES.<fn>` ... `memorySizeInMiB: N` pairs and the `?? N` defaults), so the
 * cost model follows the stack. What it cannot find stays missing for the caller's default.
 */
export function readInfraFacts(): InfraFacts {
  const facts: InfraFacts = { memoryMiB: {} };
  if (!existsSync(INFRA_DIR)) return facts;
  for (const file of readdirSync(INFRA_DIR).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(resolve(INFRA_DIR, file), 'utf8');
    for (const match of text.matchAll(
      /entry: FUNCTION_ENTRIES\.(\w+),[\s\S]{0,400}?memorySizeInMiB: (\d+)/g,
    )) {
      facts.memoryMiB[match[1] as string] = Number(match[2]);
    }
    const batch = /ingestBatchSize \?\? (\d+)/.exec(text);
    if (batch) facts.ingestBatchSize = Number(batch[1]);
    const concurrency = /maxConcurrentIngests \?\? (\d+)/.exec(text);
    if (concurrency) facts.maxConcurrentIngests = Number(concurrency[1]);
  }
  return facts;
}

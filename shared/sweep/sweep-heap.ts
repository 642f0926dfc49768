import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * starts the next one: 200% (three times the survivors).
 *
 * A sweep spends most of its wall time waiting on feeds and the store, so it allocates slowly, and
 * V8 reads a slow allocation rate as a cue to keep the heap tight: with a live heap of about 35 MB
 * it ran three or four full collections in every steady sweep of 1,000 feeds, whose concurrent
 * marking and sweeping came to about a tenth of the sweep's CPU (docs/performance.md). At three
 * times the survivors it runs none or one, and the peak heap of a cold sweep came out lower too,
 * since the fixed factor also caps the growth V8 allows itself under a burst of allocation.
 */
export const SWEEP_HEAP_GROWING_PERCENT = 200;

let applied = false;

/**
 * Sets the old generation's growing factor for a process that runs sweeps: the ingest Lambda and
 * the local runner call it once at start. Lambda's NODE_OPTIONS does not accept this V8 flag, so
 * it is set at run time, which Node allows (it starts V8 with --no-freeze-flags-after-init); V8
 * reads it each time it sizes the heap after a full collection.
 */
export function growHeapForSweeps(): void {
  if (applied) return;
  v8.setFlagsFromString(`--heap-growing-percent=${SWEEP_HEAP_GROWING_PERCENT}`);
  applied = true;
}

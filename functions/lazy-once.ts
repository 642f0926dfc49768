/**
 * Runs `load` on the first call and hands every caller the same promise: a Lambda container
 * builds what it needs once, on its first invocation. A failed load is forgotten, so the next
 * call tries again instead of the container failing every invocation until it is recycled.
 */
export function lazyOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

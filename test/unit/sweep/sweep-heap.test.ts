import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe('growHeapForSweeps', () => {
  it('sets the heap growing percent once per process, however often it is called', async () => {
    const setFlags = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    const { growHeapForSweeps, SWEEP_HEAP_GROWING_PERCENT } = await import(
      '#shared/sweep/sweep-heap.ts'
    );

    growHeapForSweeps();
    growHeapForSweeps();

    expect(setFlags).toHaveBeenCalledTimes(1);
    expect(setFlags).toHaveBeenCalledWith(`--heap-growing-percent=${SWEEP_HEAP_GROWING_PERCENT}`);
  });

  it('passes a flag this V8 knows: a misspelt one is reported, ours is not', () => {
    // V8 ignores a flag it does not know, saying so on stderr only; a renamed flag in a later Node
    // would silently undo the tuning, so this runs the real call in a fresh process.
    const run = (code: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        encoding: 'utf8',
      });
    const module = pathToFileURL(resolve('shared/sweep/sweep-heap.ts')).href;

    const ours = run(`(await import('${module}')).growHeapForSweeps(); console.log('set');`);
    expect(ours.stdout.trim()).toBe('set');
    expect(ours.stderr).toBe('');
    const misspelt = run(
      "(await import('node:v8')).default.setFlagsFromString('--heap-growing-percnt=200');",
    );
    expect(misspelt.stderr).toMatch(/unrecognized flag --heap-growing-percnt/);
  });
});

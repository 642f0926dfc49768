import { describe, expect, it } from 'vitest';
import { HostLimiter } from '#shared/feeds/host-limiter.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('HostLimiter', () => {
  it('runs at most the limit per key and starts waiters in arrival order', async () => {
    const limiter = new HostLimiter(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      limiter.run('a.example', async () => {
        started.push(index);
        await gate.promise;
      }),
    );
    await Promise.resolve();

    expect(started).toEqual([0, 1]);
    gates[1]?.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('does not make one key wait for another', async () => {
    const limiter = new HostLimiter(1);
    const gate = deferred();
    const started: string[] = [];
    const slow = limiter.run('a.example', async () => {
      started.push('a');
      await gate.promise;
    });

    await limiter.run('b.example', async () => {
      started.push('b');
    });

    expect(started).toEqual(['a', 'b']);
    gate.resolve();
    await slow;
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new HostLimiter(1);

    await expect(limiter.run('a.example', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );

    await expect(limiter.run('a.example', () => Promise.resolve('next'))).resolves.toBe('next');
  });
});

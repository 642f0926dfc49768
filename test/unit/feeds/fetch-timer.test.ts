import type { ClientRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedError } from '#shared/feeds/feed-error.ts';
import { FetchTimer } from '#shared/feeds/fetch-timer.ts';

/** A stand-in for a ClientRequest: only the socket state and destroy() are read. */
function hop(connecting: boolean) {
  const destroyed: Error[] = [];
  const request = {
    socket: { connecting },
    destroy: (error: Error) => destroyed.push(error),
  } as unknown as ClientRequest & { socket: { connecting: boolean } };
  return { request, destroyed };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('FetchTimer', () => {
  it('cancels a hop whose connection does not open within the connect limit', () => {
    const timer = new FetchTimer(30_000, 1_000);
    const { request, destroyed } = hop(true);
    timer.startHop(request, 'feeds.example.org');

    vi.advanceTimersByTime(1_000);

    expect(timer.expired?.message).toBe('could not connect to feeds.example.org within 1000 ms');
    expect(destroyed).toEqual([timer.expired]);
  });

  it('lets a connected hop wait for its answer until the whole deadline', () => {
    const timer = new FetchTimer(5_000, 1_000);
    const { request, destroyed } = hop(true);
    timer.startHop(request, 'feeds.example.org');
    request.socket.connecting = false;

    vi.advanceTimersByTime(4_999);
    expect(destroyed).toEqual([]);
    vi.advanceTimersByTime(1);

    expect((timer.expired as FeedError).code).toBe('TIMEOUT');
    expect(timer.expired?.message).toBe('no complete response within 5000 ms');
    expect(destroyed).toEqual([timer.expired]);
  });

  it('hands the deadline to the body reader once the hop answered', () => {
    const timer = new FetchTimer(2_000, 1_000);
    const { request, destroyed } = hop(false);
    timer.startHop(request, 'feeds.example.org');
    const cancelled: Error[] = [];
    timer.responded((error) => cancelled.push(error));

    vi.advanceTimersByTime(2_000);

    expect(cancelled).toEqual([timer.expired]);
    expect(destroyed).toEqual([]);
  });

  it('gives every redirect hop its own connect limit', () => {
    const timer = new FetchTimer(30_000, 1_000);
    const first = hop(false);
    timer.startHop(first.request, 'a.example.org');
    vi.advanceTimersByTime(900);
    const second = hop(true);
    timer.startHop(second.request, 'b.example.org');

    vi.advanceTimersByTime(999);
    expect(timer.expired).toBeUndefined();
    vi.advanceTimersByTime(1);

    expect(timer.expired?.message).toBe('could not connect to b.example.org within 1000 ms');
    expect(second.destroyed).toEqual([timer.expired]);
  });

  it('never fires after it was stopped', () => {
    const timer = new FetchTimer(1_000, 500);
    const { request, destroyed } = hop(true);
    timer.startHop(request, 'feeds.example.org');
    timer.stop();

    vi.advanceTimersByTime(10_000);

    expect(timer.expired).toBeUndefined();
    expect(destroyed).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

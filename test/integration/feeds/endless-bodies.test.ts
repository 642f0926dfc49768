import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { ENDLESS, EndlessServer, settlesWithin } from './endless-server.ts';

const TIMEOUT_MS = 1_500;
/** What a fetch may take past its deadline: timers and the event loop, not another download. */
const SLACK_MS = 1_000;

const server = new EndlessServer();
const poller = createFeedPoller({
  allowPrivateNetwork: true,
  timeoutMs: TIMEOUT_MS,
  maxBodyBytes: 1_000_000,
  perHostConcurrency: 4,
});

beforeAll(() => server.start());
afterAll(() => server.stop());

/** Polls a path and says how it ended, and whether the server saw its connection close in time. */
async function pollEndless(path: string, previous = {}) {
  const started = Date.now();
  const outcome = await poller.poll({ feed: { url: server.url(path), tags: [] }, previous }).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error }),
  );
  const elapsedMs = Date.now() - started;
  const closed = await settlesWithin(
    server.closedConnection(path),
    TIMEOUT_MS + SLACK_MS - elapsedMs,
  );
  return { ...outcome, elapsedMs, closed };
}

describe('a body that never ends', () => {
  it.each([
    ['a 500', ENDLESS.status500, 'HTTP_STATUS'],
    ['a 404', ENDLESS.status404, 'HTTP_STATUS'],
    ['a 200 sent as image/png', ENDLESS.refusedType, 'NOT_A_FEED'],
    ['a 200 over the body cap', ENDLESS.overCap, 'TOO_LARGE'],
    ['a 200 that drips', ENDLESS.slowDrip, 'TIMEOUT'],
  ])(
    'behind %s ends the fetch by its deadline and closes the connection',
    async (_kind, path, code) => {
      const { error, elapsedMs, closed } = await pollEndless(path);

      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).code).toBe(code);
      expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(closed, 'the server still sends to a connection nobody reads').toBe(true);
    },
  );

  it('behind a 302 is left for the redirect, whose feed is read', async () => {
    const { result, error, elapsedMs, closed } = await pollEndless(ENDLESS.redirect302);

    expect(error).toBeUndefined();
    expect(result).toMatchObject({ kind: 'parsed', items: [{ title: 'After the redirect' }] });
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(closed, 'the redirect is still being downloaded').toBe(true);
  });

  it('behind a 304 gives not-modified and closes the connection', async () => {
    const { result, elapsedMs, closed } = await pollEndless(ENDLESS.notModified304, {
      etag: '"e"',
    });

    expect(result).toMatchObject({ kind: 'not-modified', validators: { etag: '"e"' } });
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(closed).toBe(true);
  });
});

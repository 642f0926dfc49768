import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlockedAddress } from '#shared/feeds/address-guard.ts';
import { FeedError } from '#shared/feeds/feed-error.ts';
import { fetchFeed } from '#shared/feeds/fetch-feed.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { FeedTestServer, rssDocument } from './feed-test-server.ts';

const server = new FeedTestServer();
const guarded = createFeedPoller({
  allowPrivateNetwork: false,
  timeoutMs: 2_000,
  maxBodyBytes: 100_000,
  perHostConcurrency: 2,
});

beforeAll(async () => {
  await server.start();
  server.serve('/feed', rssDocument(['Private']));
});
afterAll(() => server.stop());

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FeedError);
  return (error as FeedError).code;
}

describe('the address guard with private networks refused', () => {
  it.each([
    ['the loopback IP', () => server.url('/feed')],
    [
      'localhost, checked on the address it resolves to',
      () => `http://localhost:${server.port}/feed`,
    ],
    ['a decimal IPv4 number', () => `http://2130706433:${server.port}/feed`],
    ['a hex-dotted IPv4', () => `http://0x7f.1:${server.port}/feed`],
    ['an IPv4-mapped IPv6 literal', () => `http://[::ffff:127.0.0.1]:${server.port}/feed`],
    ['the IPv6 loopback', () => `http://[::1]:${server.port}/feed`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private network address', () => 'http://10.0.0.1/feed'],
    ['the unspecified address', () => `http://0.0.0.0:${server.port}/feed`],
  ])('refuses %s with SSRF_BLOCKED before the server sees a request', async (_name, url) => {
    const before = server.requests.length;

    const code = await codeOf(guarded.poll({ feed: { url: url(), tags: [] }, previous: {} }));

    expect(code).toBe('SSRF_BLOCKED');
    expect(server.requests.length).toBe(before);
  });

  it('refuses a scheme other than http or https', async () => {
    const code = await codeOf(
      guarded.poll({ feed: { url: 'ftp://example.org/feed', tags: [] }, previous: {} }),
    );

    expect(code).toBe('UNSUPPORTED_SCHEME');
  });
});

describe('the address guard on redirect hops', () => {
  // Allow exactly the test server's address so the first hop is reached and the redirect is judged.
  const onlyTestServer = (address: string): boolean =>
    address !== '127.0.0.1' && isBlockedAddress(address);
  const options = {
    allowPrivateNetwork: false,
    timeoutMs: 2_000,
    maxBodyBytes: 100_000,
    userAgent: 'newswatch-test',
    isBlockedAddress: onlyTestServer,
  };

  it('fetches from the allowed address itself', async () => {
    const result = await fetchFeed(server.url('/feed'), {}, options);

    expect(result.kind).toBe('body');
  });

  it.each([
    ['another loopback address', () => `http://127.0.0.2:${server.port}/feed`],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['an IPv4-mapped loopback', () => `http://[::ffff:7f00:2]:${server.port}/feed`],
    ['a unique-local IPv6 address', () => 'http://[fd00::1]/feed'],
  ])('refuses a redirect to %s', async (_name, target) => {
    const path = `/redirect-${Math.random().toString(36).slice(2)}`;
    server.route(path, (_request, response) => {
      response.writeHead(302, { location: target() }).end();
    });

    const code = await codeOf(fetchFeed(server.url(path), {}, options));

    expect(code).toBe('SSRF_BLOCKED');
  });
});

describe('with private networks allowed', () => {
  it('fetches a feed on 127.0.0.1', async () => {
    const open = createFeedPoller({
      allowPrivateNetwork: true,
      timeoutMs: 2_000,
      maxBodyBytes: 100_000,
      perHostConcurrency: 2,
    });

    const result = await open.poll({
      feed: { url: `http://localhost:${server.port}/feed`, tags: [] },
      previous: {},
    });

    expect(result.kind).toBe('parsed');
  });
});

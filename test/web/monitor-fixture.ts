import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import { createLocalAlertSink } from '#shared/alerts/local-alert-sink.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { createApiRouter } from '#shared/api/api-router.ts';
import { type LocalApiServer, startLocalApiServer } from '#shared/api/local-api-server.ts';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { createFeedListService } from '#shared/feeds/feed-list-service.ts';
import { createFeedPoller } from '#shared/feeds/http-feed-poller.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { runSweep, type SweepSummary } from '#shared/sweep/run-sweep.ts';
import { createWebSite, withWebSite } from '#shared/web/web-site.ts';
import { FeedTestServer } from '../integration/feeds/feed-test-server.ts';
import { createEmbeddedTestStore } from '../integration/support/dynamo-table.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The monitor's clock: far from the real one, moved by the tests between sweeps. */
export class TestClock {
  constructor(private time: number) {}
  now = (): Date => new Date(this.time);
  advance(minutes: number): void {
    this.time += minutes * 60_000;
  }
}

export interface FeedItem {
  title: string;
  link: string;
  description?: string;
}

/** RSS 2.0 with each title and description escaped once, so the parsed text is exactly as given. */
export function rss(channel: string, items: FeedItem[]): string {
  const xmlText = (text: string) =>
    text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const body = items
    .map(
      (item) =>
        `<item><title>${xmlText(item.title)}</title><link>${xmlText(item.link)}</link><guid>${xmlText(item.link)}</guid><description>${xmlText(item.description ?? item.title)}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${channel}</title><link>https://news.example.org/</link>\n${body}\n</channel></rss>\n`;
}

export interface Monitor {
  url: string;
  store: DynamoDbStore;
  clock: TestClock;
  feeds: FeedTestServer;
  /** One sweep over the feed list, alerts included, then a digest flush. */
  sweep(): Promise<SweepSummary>;
  close(): Promise<void>;
}

/**
 * The local monitor as `npm start` wires it: loopback feeds swept by the real pipeline into the
 * embedded store, alerts to the local sink, the API with the page in front on 127.0.0.1.
 */
export async function startMonitor(
  feedList: (server: FeedTestServer) => FeedSpec[],
  options: { start: string; maxPerSweep?: number },
): Promise<Monitor> {
  const clock = new TestClock(Date.parse(options.start));
  const feeds = new FeedTestServer();
  await feeds.start();
  const specs = feedList(feeds);
  const { store, close: closeStore } = await createEmbeddedTestStore({ now: clock.now });
  const profile = await loadProfile(resolve(REPO_ROOT, 'seeds'));
  const dataDir = mkdtempSync(join(tmpdir(), 'newswatch-web-'));
  const alerts = createAlertService({
    store,
    publisher: createLocalAlertSink({ dataDir, output: new PassThrough() }),
    settings: { maxPerSweep: options.maxPerSweep ?? 10, maxPerHour: 30, mode: 'instant' },
    now: clock.now,
  });
  const deps = {
    poller: createFeedPoller({
      allowPrivateNetwork: true,
      timeoutMs: 5000,
      maxBodyBytes: 1_000_000,
      perHostConcurrency: 4,
    }),
    store,
    scorer: createScorer(profile),
    stories: createStoryAssigner(store, { now: clock.now }),
    concurrency: 4,
    now: clock.now,
  };
  // GET /feeds lists the stored feed list, seeded from the specs as `npm start` seeds its file.
  const feedListService = createFeedListService({
    store,
    seed: async () => specs,
    allowPrivateNetwork: true,
    now: clock.now,
  });
  const server: LocalApiServer = await startLocalApiServer({
    router: withWebSite(
      createApiRouter({ store, profile: () => profile, now: clock.now, feeds: feedListService }),
      createWebSite(),
    ),
    port: 0,
  });
  return {
    url: server.url,
    store,
    clock,
    feeds,
    sweep: async () => {
      const sweepBudget = { sent: 0 };
      // In the fixture's order, which the stories' leads depend on (the list is by name).
      const summary = await runSweep(specs, {
        ...deps,
        alert: async (matches) => (await alerts.handleNewMatches(matches, { sweepBudget })).sent,
      });
      summary.alerts += await alerts.flushDigest();
      return summary;
    },
    close: async () => {
      await server.close();
      await feeds.stop();
      await closeStore();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

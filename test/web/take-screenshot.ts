// Renders docs/web-page.png for the README: the monitor after a day of sweeps over five outlets.
// Run with `npx tsx test/web/take-screenshot.ts`.
import { resolve } from 'node:path';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedTestServer } from '../integration/feeds/feed-test-server.ts';
import { launchBrowser } from './browser.ts';
import { type FeedItem, rss, startMonitor } from './monitor-fixture.ts';

const OUTLETS = ['Global Wire', 'Morning Ledger', 'Eastern Review', 'Policy Daily', 'Harbour Post'];

/** Headlines by the sweep that first shows them, and the outlets that carry them. */
const STORIES: { sweep: number; outlets: number[]; title: string; summary: string }[] = [
  {
    sweep: 0,
    outlets: [0],
    title: 'Russia and China hold joint naval drills in the Pacific',
    summary: 'Warships from Russia and China exercised together, Beijing said.',
  },
  {
    sweep: 1,
    outlets: [1],
    title: 'Ukraine strikes Russian refinery with long-range drones',
    summary: 'Kyiv hit an oil refinery deep inside Russia overnight.',
  },
  {
    sweep: 2,
    outlets: [2, 3],
    title: 'Chinese exports to Russia hit record as sanctions bite',
    summary: 'Trade between China and Russia grew as Moscow sought ways around Western sanctions.',
  },
  {
    sweep: 3,
    outlets: [0],
    title: 'Kremlin says Putin will visit Beijing in the spring',
    summary: 'Russia and China are preparing a state visit, the Kremlin said.',
  },
  {
    sweep: 4,
    outlets: [0, 1, 2, 4],
    title: 'Xi and Putin sign Power of Siberia 2 gas pipeline deal',
    summary: 'China and Russia agreed a new gas pipeline as Western sanctions bite.',
  },
  {
    sweep: 4,
    outlets: [3],
    title: 'EU adopts new sanctions package against Russia over Ukraine war',
    summary: 'The package targets Russian oil exports and Chinese firms supplying drones.',
  },
  {
    sweep: 4,
    outlets: [4, 2],
    title: 'Chinese banks curb payments from Russia under US sanctions pressure',
    summary: 'Banks in China tightened checks on Russian transfers after new US sanctions.',
  },
  {
    sweep: 4,
    outlets: [1],
    title: 'Moscow and Beijing pledge deeper energy ties at Kremlin summit',
    summary: 'Russia will supply more oil and gas to China, the leaders said in Moscow.',
  },
  {
    sweep: 5,
    outlets: [2],
    title: 'Russian oil flows to China rise despite price cap',
    summary: 'Russia shipped record crude volumes to China, tanker data showed, despite sanctions.',
  },
  {
    sweep: 5,
    outlets: [3],
    title: 'Ukraine says Russia used Chinese-made parts in missile strike',
    summary: 'Kyiv found Chinese components in a Russian missile used in the war.',
  },
];

function feeds(server: FeedTestServer, sweep: { value: number }): FeedSpec[] {
  return OUTLETS.map((outlet, index) => {
    const path = `/outlet-${index}.xml`;
    server.route(path, (_request, response) => {
      const items: FeedItem[] = STORIES.filter(
        (story) => story.sweep <= sweep.value && story.outlets.includes(index),
      ).map((story) => ({
        title: story.title,
        description: story.summary,
        link: `https://${outlet.toLowerCase().replaceAll(' ', '')}.example.com/${story.title.toLowerCase().replaceAll(/\W+/g, '-')}`,
      }));
      if (index === 4 && sweep.value === 5) {
        response.writeHead(503, { 'retry-after': '600' }).end('busy');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(outlet, items));
    });
    return { url: server.url(path), name: outlet, tags: [] };
  });
}

const sweep = { value: 0 };
const monitor = await startMonitor((server) => feeds(server, sweep), {
  start: '2031-03-09T09:10:00Z',
  maxPerSweep: 3,
});
const browser = await launchBrowser();
try {
  for (const hours of [0, 4, 5, 3, 4, 3]) {
    monitor.clock.advance(hours * 60);
    await monitor.sweep();
    sweep.value++;
  }
  monitor.clock.advance(12);
  const context = await browser.newContext({
    viewport: { width: Number(process.env.WIDTH ?? 1280), height: 900 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(monitor.clock.now());
  await page.goto(`${monitor.url}/${process.env.PARAMS ?? '?days=1'}`);
  await page.locator('.story').first().waitFor();
  await page.locator('.story-title button', { hasText: 'Power of Siberia' }).click();
  await page.locator('.facets-table').waitFor();
  await page.screenshot({
    path: resolve(import.meta.dirname, '../../docs', process.env.OUT ?? 'web-page.png'),
    fullPage: true,
  });
} finally {
  await browser.close();
  await monitor.close();
}

// Renders docs/web-page.png for the README: the monitor after two sweeps of the test feeds.
// Run with `npx tsx test/web/take-screenshot.ts`.
import { resolve } from 'node:path';
import { launchBrowser } from './browser.ts';
import { monitorFeeds } from './monitor-feeds.ts';
import { startMonitor } from './monitor-fixture.ts';

const START = '2031-03-10T06:00:00Z';
const revision = { value: 0 };
const monitor = await startMonitor((server) => monitorFeeds(server, revision), {
  start: START,
  maxPerSweep: 2,
});
const browser = await launchBrowser();
try {
  await monitor.sweep();
  monitor.clock.advance(135);
  revision.value = 1;
  await monitor.sweep();
  const context = await browser.newContext({
    viewport: { width: Number(process.env.WIDTH ?? 1280), height: 900 },
    deviceScaleFactor: 1,
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(monitor.clock.now());
  const params = process.env.PARAMS ?? '?days=1';
  await page.goto(`${monitor.url}/${params}`);
  await page.locator('.story').first().waitFor();
  await page.locator('.story .link-button').nth(2).click();
  await page.locator('.facets-table').waitFor();
  await page.screenshot({
    path: resolve(import.meta.dirname, '../../docs', process.env.OUT ?? 'web-page.png'),
    fullPage: true,
  });
} finally {
  await browser.close();
  await monitor.close();
}

/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Match } from '#shared/store/match-schema.ts';
import { launchBrowser } from './browser.ts';
import { ITEMS, monitorFeeds, PWNED_FLAG } from './monitor-feeds.ts';
import { type Monitor, startMonitor } from './monitor-fixture.ts';

/** The monitor's clock starts here, years from the real one; the page is given the same time. */
const START = '2031-03-10T06:00:00Z';

interface StoryJson {
  storyId: string;
  lead: Match;
  alert?: { channel?: string };
}

let monitor: Monitor;
let browser: Browser;
let context: BrowserContext;
const revision = { value: 0 };
/** Everything the page logged as an error, threw, or had blocked by its CSP, over every test. */
const problems: string[] = [];
const dialogs: string[] = [];

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${monitor.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function allMatches(): Promise<Match[]> {
  const matches: Match[] = [];
  let cursor: string | undefined;
  do {
    const page = await monitor.store.listMatches({ limit: 100, ...(cursor ? { cursor } : {}) });
    matches.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return matches;
}

/** A page of the monitor; `badRequest` when its URL holds a filter the API refuses (and logs). */
async function openPage(path = '/?days=1', options: { badRequest?: boolean } = {}): Promise<Page> {
  const page = await context.newPage();
  await page.clock.setFixedTime(monitor.clock.now());
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (options.badRequest && message.text().includes('status of 400')) return;
    problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP blocked ${event.violatedDirective}: ${event.blockedURI}`);
    });
  });
  await page.goto(`${monitor.url}${path}`);
  await page.locator('#status').filter({ hasText: 'Updated' }).waitFor();
  return page;
}

async function storyTitles(page: Page): Promise<string[]> {
  return page.locator('#stories .story-title').allTextContents();
}

describe('the monitor page in a browser', () => {
  beforeAll(async () => {
    monitor = await startMonitor((server) => monitorFeeds(server, revision), {
      start: START,
      maxPerSweep: 2,
    });
    const summary = await monitor.sweep();
    expect(summary.matches).toBeGreaterThan(0);
    monitor.clock.advance(10);
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
  });

  afterAll(async () => {
    await browser?.close();
    await monitor?.close();
  });

  it('serves the page at / with a strict Content-Security-Policy and only its own files', async () => {
    const response = await fetch(`${monitor.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    // Nothing inline: the one script and the one stylesheet are files of the page's own.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);

    const script = await fetch(`${monitor.url}/web/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of ['/web/../package.json', '/web/%2e%2e/package.json', '/web/missing.js']) {
      expect((await fetch(`${monitor.url}${path}`)).status, path).toBe(404);
    }
  });

  it('lists each story once, newest first, with its outlets, score band and alert', async () => {
    const page = await openPage();
    const stories = (await api<{ items: StoryJson[] }>('/stories')).items;
    const matches = await allMatches();
    // One story per lead: the copy the daily carried joins the wire's story.
    expect(stories.length).toBe(new Set(matches.map((match) => match.storyId)).size);
    expect(stories.length).toBeLessThan(matches.length);
    expect(await storyTitles(page)).toEqual(stories.map((story) => story.lead.title));

    const deal = page.locator('.story', { hasText: ITEMS.energyDeal.title }).first();
    await expect.poll(() => deal.locator('.also').textContent()).toContain('Daily Two');
    expect(await deal.locator('a.out').getAttribute('href')).toBe(ITEMS.energyDeal.link);
    const refinery = page.locator('.story', { hasText: ITEMS.refineryStrike.title });
    const refineryJson = stories.find((story) => story.lead.title === ITEMS.refineryStrike.title);
    expect(refineryJson?.lead.alert).toBe(false);
    expect(await refinery.locator('.badge').allTextContents()).toEqual([
      `Medium · ${refineryJson?.lead.score.toFixed(2)}`,
      'Not alerted',
    ]);
    const digested = stories.filter((story) => story.alert?.channel === 'digest').length;
    expect(digested).toBeGreaterThan(0);
    expect(await page.locator('#stories .badge', { hasText: 'In digest' }).count()).toBe(digested);
    await page.close();
  });

  it('pages through older stories with the cursors of the API', async () => {
    const page = await openPage('/?days=1&limit=2');
    const all = (await api<{ items: StoryJson[] }>('/stories?limit=100')).items;
    expect(all.length).toBeGreaterThan(4);
    const more = page.locator('#more-stories');
    expect(await storyTitles(page)).toEqual(all.slice(0, 2).map((story) => story.lead.title));
    while (await more.isVisible()) {
      const shown = (await storyTitles(page)).length;
      await more.click();
      await expect.poll(async () => (await storyTitles(page)).length).toBeGreaterThan(shown);
    }
    expect(await storyTitles(page)).toEqual(all.map((story) => story.lead.title));
    await page.close();
  });

  it('opens a story with every copy and why its lead matched, and keeps it in the URL', async () => {
    const page = await openPage();
    await page.locator('.story-title button', { hasText: ITEMS.energyDeal.title }).click();
    await page.locator('#detail-body .facets-table').waitFor();
    const storyId = new URL(page.url()).searchParams.get('story') ?? '';
    const story = await api<{ lead: Match; copies: { feed: string }[] }>(`/stories/${storyId}`);
    expect(story.lead.title).toBe(ITEMS.energyDeal.title);

    const facetRows = page.locator('#detail-body .facets-table tbody tr');
    expect(await facetRows.locator('th').allTextContents()).toEqual(
      story.lead.explanation.facets.map((facet) => facet.name),
    );
    expect(await facetRows.locator('td.num').allTextContents()).toEqual(
      story.lead.explanation.facets.map((facet) => facet.score.toFixed(2)),
    );
    expect(await page.locator('#detail-body .terms .term').allTextContents()).toEqual(
      story.lead.explanation.terms.map((term) => term.term),
    );
    expect(await page.locator('#detail-body .copies .outlet').allTextContents()).toEqual(
      story.copies.map((copy) => copy.feed),
    );
    expect(story.copies.map((copy) => copy.feed).sort()).toEqual(['Daily Two', 'Wire One']);

    // The URL alone opens the same story; Escape closes it and gives the focus back.
    const shared = await openPage(new URL(page.url()).pathname + new URL(page.url()).search);
    await shared.locator('#detail-body .facets-table').waitFor();
    expect(await shared.locator('#detail-body .detail-title').textContent()).toBe(
      ITEMS.energyDeal.title,
    );
    await shared.keyboard.press('Escape');
    expect(await shared.locator('#story-detail').isHidden()).toBe(true);
    expect(new URL(shared.url()).searchParams.get('story')).toBeNull();
    await page.close();
    await shared.close();
  });

  it('filters by facet, outlet, language, score, text and dates through the API, with the state in the URL', async () => {
    const page = await openPage();
    const titlesOf = async (query: string) =>
      (await api<{ items: StoryJson[] }>(`/stories?${query}`)).items.map((s) => s.lead.title);

    await page.locator('select[name=facet]').selectOption('ukraine');
    await page.locator('input[name=minScore]').fill('0.8');
    await page.locator('button[type=submit]').click();
    await expect.poll(() => new URL(page.url()).search).toBe('?facet=ukraine&minScore=0.8&days=1');
    const expected = await titlesOf('facet=ukraine&minScore=0.8');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan((await titlesOf('')).length);
    await expect.poll(() => storyTitles(page)).toEqual(expected);

    await page.goBack();
    await expect.poll(() => new URL(page.url()).search).toBe('?days=1');
    await expect.poll(() => storyTitles(page)).toEqual(await titlesOf(''));

    const filtered = await openPage('/?feed=Daily+Two&q=drills&since=2031-03-10&until=2031-03-10');
    expect(await filtered.locator('select[name=feed]').inputValue()).toBe('Daily Two');
    expect(await filtered.locator('input[name=q]').inputValue()).toBe('drills');
    expect(await filtered.locator('input[name=since]').inputValue()).toBe('2031-03-10');
    expect(await storyTitles(filtered)).toEqual([ITEMS.navalDrills.title]);

    // The language filter: only the Russian story, named as Russian; English ones carry no badge.
    await page.locator('select[name=lang]').selectOption('ru');
    await page.locator('button[type=submit]').click();
    await expect.poll(() => new URL(page.url()).search).toBe('?lang=ru&days=1');
    expect(await titlesOf('lang=ru')).toEqual([ITEMS.grainDeal.title]);
    await expect.poll(() => storyTitles(page)).toEqual([ITEMS.grainDeal.title]);
    const russian = page.locator('.story', { hasText: ITEMS.grainDeal.title });
    expect(await russian.locator('.badge.lang').textContent()).toBe('Russian');
    expect(await russian.locator('.story-title button').getAttribute('lang')).toBe('ru');
    const english = await openPage('/?lang=en&days=1');
    expect(await english.locator('select[name=lang]').inputValue()).toBe('en');
    expect(await storyTitles(english)).toEqual(await titlesOf('lang=en'));
    expect(await storyTitles(english)).not.toContain(ITEMS.grainDeal.title);
    expect(await english.locator('#stories .badge.lang').count()).toBe(0);

    const empty = await openPage('/?since=2031-03-11');
    expect(await storyTitles(empty)).toEqual([]);
    expect(await empty.locator('#stories-empty').isVisible()).toBe(true);
    const invalid = await openPage('/?minScore=7', { badRequest: true });
    expect(await invalid.locator('#filter-error').textContent()).toContain('minScore');
    for (const opened of [page, english, filtered, empty, invalid]) await opened.close();
  });

  it('charts the stored matches per hour and by facet, and the feed table shows each feed as stored', async () => {
    const page = await openPage();
    const matches = await allMatches();
    const bars = page.locator('svg.chart rect.bar');
    const counts = (await bars.evaluateAll((rects) =>
      rects.map((rect) => Number(rect.getAttribute('data-count'))),
    )) as number[];
    expect(counts.length).toBe(25);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(matches.length);
    expect(await page.locator('#volume-total').textContent()).toBe(String(matches.length));
    const byStart = new Map<string, number>();
    for (const match of matches) {
      const hour = `${match.storedAt.slice(0, 13)}:00:00.000Z`;
      byStart.set(hour, (byStart.get(hour) ?? 0) + 1);
    }
    for (const [start, count] of byStart) {
      expect(
        await page.locator(`svg.chart rect[data-start="${start}"]`).getAttribute('data-count'),
      ).toBe(String(count));
    }
    for (const facet of ['russia', 'ukraine', 'sanctions']) {
      const expected = matches.filter((match) => match.facets.includes(facet)).length;
      expect(
        await page.locator(`.facet-rows li[data-facet="${facet}"] .facet-total`).textContent(),
      ).toBe(String(expected));
    }

    const feeds = (
      await api<{ items: { name: string; itemsSeen: number; status: string }[] }>('/feeds')
    ).items;
    const rows = page.locator('.feeds-table tbody tr');
    // The failing feed comes first, whatever its name.
    expect(await rows.first().locator('.feed-name').textContent()).toContain('Broken Feed');
    expect(await rows.first().locator('.code').textContent()).toContain('HTTP 500');
    for (const feed of feeds) {
      const row = page.locator('.feeds-table tbody tr', { hasText: feed.name });
      expect(await row.locator('.items-seen').textContent()).toBe(String(feed.itemsSeen));
    }
    await page.locator('button[data-sort=itemsSeen]').click();
    const sorted = [...feeds].sort(
      (a, b) => a.itemsSeen - b.itemsSeen || a.name.localeCompare(b.name),
    );
    await expect
      .poll(() => rows.locator('.items-seen').allTextContents())
      .toEqual(sorted.map((feed) => String(feed.itemsSeen)));
    expect(
      await page.locator('th:has(button[data-sort=itemsSeen])').getAttribute('aria-sort'),
    ).toBe('ascending');
    await page.close();
  });

  it('updates itself after the next sweep, without a reload', async () => {
    const page = await openPage('/?days=1&refresh=2');
    const before = await storyTitles(page);
    expect(before).not.toContain(ITEMS.exportsRecord.title);
    const sentBefore = await page.locator('#alerts-sent li').count();
    // A choice made in the form but not applied yet must survive the refresh.
    await page.locator('select[name=feed]').selectOption('Daily Two');
    await page.evaluate(() => {
      (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });

    monitor.clock.advance(60);
    revision.value = 1;
    await monitor.sweep();

    await expect
      .poll(() => storyTitles(page), { timeout: 20_000 })
      .toEqual([ITEMS.exportsRecord.title, ...before]);
    await expect.poll(() => page.locator('#alerts-sent li').count()).toBe(sentBefore + 1);
    const daily = page.locator('.feeds-table tbody tr', { hasText: 'Daily Two' });
    // The daily answered 304 the second time: one poll of two unchanged.
    expect(await daily.locator('.unchanged').textContent()).toBe('50%');
    expect(await page.locator('select[name=feed]').inputValue()).toBe('Daily Two');
    expect(
      await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce),
    ).toBe(true);
    await page.close();
  });

  it('shows hostile feed text as text: nothing it carries runs or becomes an element', async () => {
    const page = await openPage('/?feed=Hostile+Times');
    const title = page.locator('.story-title').first();
    // Cleaning removed the markup, escaped or not, before it was stored; the page shows the rest.
    await expect.poll(() => title.textContent()).toContain("China's Xi meets Putin in Beijing");
    await title.locator('button').click();
    await page.locator('#detail-body .summary').waitFor();
    const summary = await page.locator('#detail-body .summary').textContent();
    expect(summary).toContain('Russia and China leaders');
    expect(summary).not.toMatch(/<[a-z/!?]/i);
    await page.locator('.story-title button').first().hover();
    await page.locator('#detail-body .summary').hover();

    const found = await page.evaluate((flag) => {
      const main = document.querySelector('main') as HTMLElement;
      return {
        flag: (window as unknown as Record<string, unknown>)[flag],
        injected: main.querySelectorAll(
          'img, script, svg:not(.chart):not(.spark):not(.term-bar), b, iframe',
        ).length,
        handlers: [...document.querySelectorAll('*')].filter((element) =>
          [...element.attributes].some((attribute) => attribute.name.startsWith('on')),
        ).length,
        scriptLinks: document.querySelectorAll('a[href^="javascript:"]').length,
      };
    }, PWNED_FLAG);
    expect(found).toEqual({ flag: undefined, injected: 0, handlers: 0, scriptLinks: 0 });
    // The feed's javascript: link is shown as plain text, not as a link.
    expect(
      await page
        .locator('.story .out')
        .first()
        .evaluate((node) => node.tagName),
    ).toBe('SPAN');
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('works by keyboard and at phone width', async () => {
    const phone = await browser.newContext({
      viewport: { width: 375, height: 740 },
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
    const page = await phone.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${monitor.url}/?days=1`);
    await page.locator('.story').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    for (const field of ['q', 'facet', 'feed', 'lang', 'minScore', 'since', 'until']) {
      expect(
        await page
          .getByLabel(field === 'q' ? 'Search' : /./)
          .first()
          .count(),
      ).toBe(1);
      expect(await page.locator(`label:has([name="${field}"])`).count()).toBe(1);
    }

    const first = page.locator('.story-title button').first();
    await first.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('detail-heading');
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe(await first.textContent());
    await phone.close();
  });

  it('grades a story with one click, shows the grade as set, and still after a reload', async () => {
    const page = await openPage();
    const story = page.locator('.story', { hasText: ITEMS.refineryStrike.title });
    const pressed = () => story.locator('button.grade[aria-pressed="true"]').allTextContents();
    expect(await pressed()).toEqual([]);

    await story.getByRole('button', { name: 'Relevant', exact: true }).click();
    await expect.poll(pressed).toEqual(['Relevant']);
    await story.getByRole('button', { name: 'Alert-worthy' }).click();
    await expect.poll(pressed).toEqual(['Alert-worthy']);
    await expect.poll(() => story.locator('.grade-status').textContent()).toBe('Saved');

    const leadId = (await story.getAttribute('data-story-id')) ?? '';
    const stored = await monitor.store.getFeedback(leadId);
    expect(stored).toMatchObject({ grade: 2, title: ITEMS.refineryStrike.title });
    expect(stored?.history.map((entry) => entry.grade)).toEqual([1]);
    await page.close();

    const again = await openPage();
    const same = again.locator('.story', { hasText: ITEMS.refineryStrike.title });
    await expect
      .poll(() => same.locator('button.grade[aria-pressed="true"]').allTextContents())
      .toEqual(['Alert-worthy']);
    expect(
      await again
        .locator('.story', { hasText: ITEMS.energyDeal.title })
        .first()
        .locator('button.grade[aria-pressed="true"]')
        .count(),
    ).toBe(0);
    await again.close();
  });

  it('logged no console error, page error or CSP violation, and opened no dialog', () => {
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

import { renderAlerts } from './alerts.js';
import { getJson } from './api.js';
import { h, replace } from './dom.js';
import { loadGrades } from './feedback.js';
import { renderFeeds } from './feeds.js';
import { apiFilters, fillForm, readForm, setChoices, stateFromUrl, urlOfState } from './filters.js';
import { formatAgo, formatDateTime } from './format.js';
import { renderStoryDetail, storyItem } from './stories.js';
import { renderVolume } from './volume.js';

const byId = (id) => document.getElementById(id);
/** How often the page asks whether a sweep ran (`?refresh=N` seconds, for demos and tests). */
const refreshSeconds = Math.min(
  3600,
  Math.max(2, Number(new URL(location.href).searchParams.get('refresh')) || 15),
);

const page = {
  state: stateFromUrl(location.href),
  profile: undefined,
  thresholds: { match: 0.5, alert: 0.7 },
  stories: [],
  nextCursor: undefined,
  feeds: [],
  feedSort: { key: 'status', descending: false },
  lastSweep: undefined,
  volume: undefined,
  alerts: undefined,
  /** Match id -> the reader's last grade; undefined until read (or when it cannot be). */
  grades: undefined,
};

function showError(container, error) {
  replace(container, h('p', { class: 'section-error', role: 'alert' }, error.message));
}

function pushState(replaceEntry = false) {
  const url = urlOfState(page.state);
  if (url === `${location.pathname}${location.search}`) return;
  if (replaceEntry) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

// --- stories -------------------------------------------------------------------------------

async function loadStories({ more = false } = {}) {
  const list = byId('stories');
  const params = { ...apiFilters(page.state.filters), limit: page.state.limit };
  if (more) params.cursor = page.nextCursor;
  list.setAttribute('aria-busy', 'true');
  try {
    const result = await getJson('/stories', params);
    page.stories = more ? [...page.stories, ...result.items] : result.items;
    page.nextCursor = result.nextCursor;
    byId('filter-error').hidden = true;
    renderStories();
  } catch (error) {
    page.stories = [];
    page.nextCursor = undefined;
    renderStories();
    byId('filter-error').textContent = error.message;
    byId('filter-error').hidden = false;
  } finally {
    list.removeAttribute('aria-busy');
  }
}

function renderStories() {
  replace(
    byId('stories'),
    page.stories.map((story) =>
      storyItem(story, {
        thresholds: page.thresholds,
        selected: story.storyId === page.state.story,
        onOpen: (id) => openStory(id),
        grades: page.grades,
      }),
    ),
  );
  byId('stories-empty').hidden = page.stories.length > 0;
  byId('more-stories').hidden = !page.nextCursor;
  byId('stories-count').textContent = `${page.stories.length}${page.nextCursor ? '+' : ''} shown`;
}

async function openStory(id, { push = true, focus = true } = {}) {
  page.state.story = id;
  if (push) pushState();
  renderStories();
  const panel = byId('story-detail');
  panel.hidden = false;
  const body = byId('detail-body');
  try {
    const story = await getJson(`/stories/${encodeURIComponent(id)}`);
    renderStoryDetail(body, story, { thresholds: page.thresholds });
  } catch (error) {
    showError(body, error);
  }
  if (focus) byId('detail-heading').focus();
}

function closeStory() {
  const id = page.state.story;
  page.state.story = undefined;
  pushState();
  byId('story-detail').hidden = true;
  renderStories();
  const opener = id && document.querySelector(`[data-story-id="${CSS.escape(id)}"] button`);
  (opener ?? byId('stories-heading')).focus();
}

// --- volume, alerts, feeds -----------------------------------------------------------------

async function loadVolume() {
  const { days, interval } = page.state;
  try {
    page.volume = await getJson('/volume', { days, interval });
    renderVolume(byId('volume'), page.volume);
  } catch (error) {
    page.volume = undefined;
    showError(byId('volume'), error);
  }
  renderKpis();
}

async function loadAlerts() {
  try {
    page.alerts = await getJson('/alerts', { days: 7 });
    renderAlerts(byId('alerts'), page.alerts);
  } catch (error) {
    page.alerts = undefined;
    showError(byId('alerts'), error);
  }
  renderKpis();
}

function latestFetch(feeds) {
  return feeds.reduce(
    (latest, feed) => (feed.lastFetchAt && feed.lastFetchAt > latest ? feed.lastFetchAt : latest),
    '',
  );
}

async function loadFeeds() {
  const { items } = await getJson('/feeds');
  page.feeds = items;
  drawFeeds();
  setChoices(
    byId('filters').elements.namedItem('feed'),
    items.map((feed) => feed.name ?? feed.url),
    page.state.filters.feed,
  );
  return latestFetch(items);
}

function drawFeeds() {
  renderFeeds(byId('feeds'), page.feeds, page.feedSort, (key) => {
    page.feedSort =
      page.feedSort.key === key
        ? { key, descending: !page.feedSort.descending }
        : { key, descending: false };
    drawFeeds();
    document.querySelector(`button[data-sort="${key}"]`)?.focus();
  });
  const failing = page.feeds.filter((feed) => feed.status !== 'ok' && feed.status !== 'new').length;
  byId('feeds-count').textContent = `${page.feeds.length} feeds, ${failing} in trouble`;
  renderKpis();
}

function renderKpis() {
  const failing = page.feeds.filter((feed) => feed.status !== 'ok' && feed.status !== 'new').length;
  const matches = page.volume?.buckets.reduce((sum, bucket) => sum + bucket.matches, 0);
  const kpi = (label, value, id, note) =>
    h(
      'div',
      { class: 'kpi' },
      h('dt', {}, label),
      h('dd', { id }, value),
      note ? h('dd', { class: 'muted' }, note) : null,
    );
  replace(
    byId('kpis'),
    kpi(
      'Matches',
      matches === undefined ? '—' : String(matches),
      'kpi-matches',
      page.volume ? `last ${page.state.days} d` : '',
    ),
    kpi(
      'Alerts sent',
      page.alerts ? String(page.alerts.sent.length) : '—',
      'kpi-alerts',
      'last 7 d',
    ),
    kpi(
      'Waiting for digest',
      page.alerts ? String(page.alerts.digestQueue.length) : '—',
      'kpi-digest',
    ),
    kpi('Feeds in trouble', `${failing} of ${page.feeds.length}`, 'kpi-feeds'),
    kpi(
      'Last sweep',
      page.lastSweep ? formatAgo(page.lastSweep) : '—',
      'kpi-sweep',
      page.lastSweep ? formatDateTime(page.lastSweep) : '',
    ),
  );
}

// --- refresh -------------------------------------------------------------------------------

async function loadEverything() {
  // Grades first: the story list shows them, and an API without feedback leaves them off.
  page.grades = await loadGrades().catch(() => undefined);
  const results = await Promise.allSettled([
    loadFeeds().then((sweep) => {
      page.lastSweep = sweep;
    }),
    loadStories(),
    loadVolume(),
    loadAlerts(),
  ]);
  if (results[0].status === 'rejected') showError(byId('feeds'), results[0].reason);
  if (page.state.story) await openStory(page.state.story, { push: false, focus: false });
  setStatus();
}

function setStatus(text) {
  byId('status').textContent = text ?? `Updated ${new Date().toLocaleTimeString()}`;
}

/** One cheap read of the feeds tells whether a sweep ran since; only then is the rest re-read. */
async function checkForSweep() {
  try {
    const sweep = await loadFeeds();
    if (sweep === page.lastSweep) return;
    page.lastSweep = sweep;
    await Promise.allSettled([loadStories(), loadVolume(), loadAlerts()]);
    if (page.state.story) await openStory(page.state.story, { push: false, focus: false });
    setStatus();
  } catch (error) {
    setStatus(`Cannot reach the API: ${error.message}`);
  }
}

// --- wiring --------------------------------------------------------------------------------

async function loadProfile() {
  try {
    page.profile = await getJson('/profile');
    page.thresholds = page.profile.thresholds;
    byId('profile-version').textContent = `profile ${page.profile.version.slice(0, 8)}`;
    setChoices(
      byId('filters').elements.namedItem('facet'),
      page.profile.facets.map((facet) => facet.name),
      page.state.filters.facet,
    );
  } catch (error) {
    setStatus(`Cannot read the profile: ${error.message}`);
  }
}

function syncControls() {
  fillForm(byId('filters'), page.state.filters);
  const volumeForm = byId('volume-controls');
  volumeForm.elements.namedItem('days').value = String(page.state.days);
  volumeForm.elements.namedItem('interval').value = page.state.interval;
  // Hourly buckets cover at most 14 days (the API's bound).
  for (const option of volumeForm.elements.namedItem('days').options) {
    option.disabled = page.state.interval === 'hour' && Number(option.value) > 14;
  }
}

function wire() {
  byId('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    page.state.filters = readForm(event.currentTarget);
    pushState();
    void loadStories();
  });
  byId('clear-filters').addEventListener('click', () => {
    page.state.filters = {};
    syncControls();
    pushState();
    void loadStories();
  });
  byId('more-stories').addEventListener('click', () => void loadStories({ more: true }));
  byId('close-story').addEventListener('click', closeStory);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && page.state.story) closeStory();
  });
  byId('volume-controls').addEventListener('change', (event) => {
    const form = event.currentTarget;
    page.state.interval = form.elements.namedItem('interval').value;
    page.state.days = Number(form.elements.namedItem('days').value);
    if (page.state.interval === 'hour' && page.state.days > 14) page.state.days = 14;
    syncControls();
    pushState(true);
    void loadVolume();
  });
  window.addEventListener('popstate', () => {
    page.state = stateFromUrl(location.href);
    syncControls();
    byId('story-detail').hidden = !page.state.story;
    void loadStories();
    void loadVolume();
    if (page.state.story) void openStory(page.state.story, { push: false, focus: false });
  });
}

async function start() {
  syncControls();
  wire();
  await loadProfile();
  await loadEverything();
  setInterval(() => void checkForSweep(), refreshSeconds * 1000);
}

void start();

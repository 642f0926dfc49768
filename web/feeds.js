import { h, replace } from './dom.js';
import { formatAgo, formatDateTime, formatPercent } from './format.js';

/** Failing feeds first: a feed in trouble is what this table is for. */
const STATUS_RANK = { failing: 0, 'needs-attention': 1, disabled: 2, new: 3, ok: 4 };
const STATUS_LABELS = {
  failing: 'Failing',
  'needs-attention': 'Needs attention',
  disabled: 'Disabled',
  new: 'New',
  ok: 'OK',
};

const name = (feed) => feed.name ?? feed.url;
const unchangedShare = (feed) =>
  feed.fetchCount > 0 ? feed.notModifiedCount / feed.fetchCount : -1;

const COLUMNS = [
  {
    key: 'status',
    label: 'Status',
    compare: (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status],
  },
  { key: 'name', label: 'Feed', compare: (a, b) => name(a).localeCompare(name(b)) },
  {
    key: 'lastSuccessAt',
    label: 'Last success',
    compare: (a, b) => (a.lastSuccessAt ?? '').localeCompare(b.lastSuccessAt ?? ''),
  },
  {
    key: 'lastError',
    label: 'Last error',
    compare: (a, b) => (a.lastErrorCode ?? '').localeCompare(b.lastErrorCode ?? ''),
  },
  {
    key: 'itemsSeen',
    label: 'Items seen',
    compare: (a, b) => a.itemsSeen - b.itemsSeen,
    numeric: true,
  },
  {
    key: 'unchanged',
    label: 'Unchanged polls',
    compare: (a, b) => unchangedShare(a) - unchangedShare(b),
    numeric: true,
  },
  {
    key: 'nextDueAt',
    label: 'Next poll',
    compare: (a, b) => (a.nextDueAt ?? '').localeCompare(b.nextDueAt ?? ''),
  },
];

export function sortFeeds(feeds, sort) {
  const column = COLUMNS.find((candidate) => candidate.key === sort.key) ?? COLUMNS[0];
  const direction = sort.descending ? -1 : 1;
  return [...feeds].sort(
    (a, b) => direction * column.compare(a, b) || name(a).localeCompare(name(b)),
  );
}

function errorCell(feed) {
  if (!feed.lastErrorCode && !feed.lastError) return h('td', { class: 'muted' }, '—');
  const code = [feed.lastErrorCode, feed.lastHttpStatus ? `HTTP ${feed.lastHttpStatus}` : null]
    .filter(Boolean)
    .join(' · ');
  return h(
    'td',
    {},
    h('span', { class: 'code' }, code),
    feed.lastError ? h('span', { class: 'error-text' }, feed.lastError) : null,
  );
}

function nextPollCell(feed) {
  if (feed.status === 'disabled')
    return h(
      'td',
      {},
      'Disabled',
      feed.disabledReason ? h('span', { class: 'error-text' }, feed.disabledReason) : null,
    );
  if (!feed.nextDueAt) return h('td', { class: 'muted' }, '—');
  const backoff = feed.consecutiveFailures > 0;
  return h(
    'td',
    {},
    h(
      'time',
      { datetime: feed.nextDueAt, title: formatDateTime(feed.nextDueAt) },
      formatDateTime(feed.nextDueAt),
    ),
    backoff
      ? h(
          'span',
          { class: 'error-text' },
          `backing off after ${feed.consecutiveFailures} failure${feed.consecutiveFailures === 1 ? '' : 's'}`,
        )
      : null,
  );
}

export function renderFeeds(container, feeds, sort, onSort) {
  const sorted = sortFeeds(feeds, sort);
  replace(
    container,
    h(
      'table',
      { class: 'data feeds-table' },
      h('caption', { class: 'visually-hidden' }, 'Feed health; column headers sort the table'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          COLUMNS.map((column) =>
            h(
              'th',
              {
                scope: 'col',
                class: column.numeric ? 'num' : undefined,
                'aria-sort':
                  column.key === sort.key ? (sort.descending ? 'descending' : 'ascending') : 'none',
              },
              h(
                'button',
                {
                  type: 'button',
                  class: 'sort',
                  'data-sort': column.key,
                  onclick: () => onSort(column.key),
                },
                column.label,
                h(
                  'span',
                  { class: 'sort-mark', 'aria-hidden': 'true' },
                  column.key === sort.key ? (sort.descending ? '▼' : '▲') : '',
                ),
              ),
            ),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        sorted.map((feed) =>
          h(
            'tr',
            { class: `feed status-${feed.status}`, 'data-feed-id': feed.feedId },
            h(
              'td',
              {},
              h(
                'span',
                { class: `badge status ${feed.status}` },
                STATUS_LABELS[feed.status] ?? feed.status,
              ),
            ),
            h(
              'th',
              { scope: 'row', class: 'feed-name' },
              name(feed),
              feed.name ? h('span', { class: 'feed-url' }, feed.url) : null,
            ),
            h(
              'td',
              {},
              feed.lastSuccessAt
                ? h(
                    'time',
                    { datetime: feed.lastSuccessAt, title: formatDateTime(feed.lastSuccessAt) },
                    formatAgo(feed.lastSuccessAt),
                  )
                : h('span', { class: 'muted' }, 'never'),
            ),
            errorCell(feed),
            h('td', { class: 'num items-seen' }, String(feed.itemsSeen)),
            h(
              'td',
              {
                class: 'num unchanged',
                title: `${feed.notModifiedCount} of ${feed.fetchCount} polls`,
              },
              formatPercent(feed.notModifiedCount, feed.fetchCount),
            ),
            nextPollCell(feed),
          ),
        ),
      ),
    ),
  );
}

import { h, outLink, replace } from './dom.js';
import { formatDateTime } from './format.js';

function headline(entry) {
  if (!entry.headline) return h('span', { class: 'muted' }, 'match no longer stored');
  return h(
    'span',
    {},
    outLink(entry.headline.link, entry.headline.title),
    h('span', { class: 'outlet' }, ` — ${entry.headline.feed}`),
  );
}

export function renderAlerts(container, activity) {
  replace(
    container,
    h(
      'div',
      {},
      h('h3', {}, `Sent (${activity.sent.length})`),
      activity.sent.length === 0
        ? h('p', { class: 'muted' }, 'No alerts sent in this period.')
        : h(
            'ol',
            { class: 'alert-list', id: 'alerts-sent' },
            activity.sent.map((alert) =>
              h(
                'li',
                {},
                h('time', { datetime: alert.sentAt }, formatDateTime(alert.sentAt)),
                h(
                  'span',
                  { class: `badge ${alert.channel === 'digest' ? 'quiet' : 'alerted'}` },
                  alert.channel === 'digest' ? 'Digest' : 'Alert',
                ),
                headline(alert),
              ),
            ),
          ),
    ),
    h(
      'div',
      {},
      h('h3', {}, `Waiting for the digest (${activity.digestQueue.length})`),
      activity.digestQueue.length === 0
        ? h('p', { class: 'muted' }, 'Nothing is waiting.')
        : h(
            'ol',
            { class: 'alert-list', id: 'digest-queue' },
            activity.digestQueue.map((entry) =>
              h(
                'li',
                {},
                h('time', { datetime: entry.queuedAt }, formatDateTime(entry.queuedAt)),
                headline(entry),
              ),
            ),
          ),
    ),
  );
}

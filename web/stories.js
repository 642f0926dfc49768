import { h, outLink, replace, s } from './dom.js';
import { gradeButtons } from './feedback.js';
import { formatAgo, formatDateTime, formatScore, languageName, scoreBand } from './format.js';

const BAND_LABELS = { high: 'High', medium: 'Medium', low: 'Low' };

function timeElement(iso, text) {
  return h('time', { datetime: iso, title: formatDateTime(iso) }, text ?? formatAgo(iso));
}

/** The language of a match where it is not English (the page's own), else nothing. */
function languageBadge(lang) {
  if (!lang || lang === 'en') return null;
  return h('span', { class: 'badge lang', lang: 'en', 'data-lang': lang }, languageName(lang));
}

function scoreBadge(score, thresholds) {
  const band = scoreBand(score, thresholds);
  return h(
    'span',
    { class: `badge band-${band}`, title: `Score ${formatScore(score)} of 1` },
    `${BAND_LABELS[band]} · ${formatScore(score)}`,
  );
}

function alertBadge(alert) {
  if (!alert) return h('span', { class: 'badge quiet' }, 'Not alerted');
  const how = alert.channel === 'digest' ? 'In digest' : 'Alerted';
  return h('span', { class: 'badge alerted', title: `Sent ${formatDateTime(alert.sentAt)}` }, how);
}

/** One story in the list: its lead headline opens it; the outlets that also carried it. */
export function storyItem(story, { thresholds, onOpen, selected, grades }) {
  const { lead } = story;
  const others = [...new Set(lead.alsoReportedBy.map((member) => member.feed))];
  return h(
    'li',
    { class: selected ? 'story selected' : 'story', 'data-story-id': story.storyId },
    h(
      'h3',
      { class: 'story-title' },
      h(
        'button',
        {
          type: 'button',
          class: 'link-button',
          'aria-expanded': selected ? 'true' : 'false',
          'aria-controls': 'story-detail',
          // Screen readers read the headline in its own language.
          lang: lead.lang,
          onclick: () => onOpen(story.storyId),
        },
        lead.title,
      ),
    ),
    h(
      'p',
      { class: 'story-meta' },
      h('span', { class: 'outlet' }, lead.feed),
      h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'),
      h('span', {}, 'first seen ', timeElement(story.firstSeen)),
      languageBadge(lead.lang),
      scoreBadge(lead.score, thresholds),
      alertBadge(story.alert),
      outLink(lead.link, 'Read ↗', { class: 'out', 'aria-label': `Read at ${lead.feed}` }),
    ),
    others.length > 0
      ? h(
          'p',
          { class: 'also' },
          h('span', { class: 'muted' }, 'Also reported by '),
          others.join(', '),
        )
      : null,
    grades ? gradeButtons(lead.id, lead.title, grades) : null,
  );
}

/** The open story: why its lead matched, then every copy. */
export function renderStoryDetail(container, story, { thresholds }) {
  const { lead, copies } = story;
  const why = lead.explanation;
  replace(
    container,
    h('p', { class: 'detail-title', lang: lead.lang }, outLink(lead.link, lead.title)),
    h(
      'p',
      { class: 'story-meta' },
      h('span', { class: 'outlet' }, lead.feed),
      h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'),
      timeElement(lead.storedAt, formatDateTime(lead.storedAt)),
      languageBadge(lead.lang),
      scoreBadge(lead.score, thresholds),
      alertBadge(story.alert),
    ),
    lead.summary ? h('p', { class: 'summary' }, lead.summary) : null,
    h('h3', {}, 'Why it matched'),
    h(
      'table',
      { class: 'data facets-table' },
      h('caption', { class: 'visually-hidden' }, 'Facets the lead touched'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Facet'),
          h('th', { scope: 'col' }, 'Score'),
          h('th', { scope: 'col' }, 'Terms'),
        ),
      ),
      h(
        'tbody',
        {},
        why.facets.map((facet) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, facet.name),
            h('td', { class: 'num' }, formatScore(facet.score)),
            h(
              'td',
              {},
              facet.matched.map((term) => h('span', { class: 'chip' }, term)),
            ),
          ),
        ),
      ),
    ),
    h('h3', {}, 'Score, term by term'),
    termBars(why.terms),
    why.notes.length > 0
      ? h(
          'ul',
          { class: 'notes' },
          why.notes.map((note) => h('li', {}, note)),
        )
      : null,
    h('h3', {}, `Every copy (${copies.length})`),
    h(
      'ol',
      { class: 'copies' },
      copies.map((copy) =>
        h(
          'li',
          {},
          h('span', { class: 'outlet' }, copy.feed),
          ' ',
          outLink(copy.link, copy.title),
          copy.published
            ? h(
                'span',
                { class: 'muted' },
                ' · ',
                timeElement(copy.published, formatDateTime(copy.published)),
              )
            : null,
        ),
      ),
    ),
  );
}

function termBars(terms) {
  if (terms.length === 0) return h('p', { class: 'muted' }, 'No term contributions recorded.');
  const top = Math.max(...terms.map((term) => Math.abs(term.contribution)), 1e-9);
  return h(
    'ul',
    { class: 'terms' },
    terms.map((term) =>
      h(
        'li',
        {},
        h('span', { class: 'term' }, term.term),
        term.field ? h('span', { class: 'muted field' }, term.field) : null,
        s(
          'svg',
          {
            class: 'term-bar',
            viewBox: '0 0 100 8',
            preserveAspectRatio: 'none',
            'aria-hidden': 'true',
          },
          s('rect', { class: 'track', width: 100, height: 8, rx: 2 }),
          s('rect', {
            class: 'fill',
            width: (100 * Math.abs(term.contribution)) / top,
            height: 8,
            rx: 2,
          }),
        ),
        h('span', { class: 'num' }, term.contribution.toFixed(3)),
      ),
    ),
  );
}

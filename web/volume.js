// Plain SVG built with DOM calls: a bar chart needs no library, so the page loads nothing it did
// not write itself, runs under a strict CSP (no inline styles a charting library would set) and
// works offline. Sizes are SVG attributes; colours come from the stylesheet's classes.
import { h, replace, s } from './dom.js';
import { formatDay, formatHour } from './format.js';

const WIDTH = 960;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 40 };
const ROW_HEIGHT = 36;

function label(iso, interval) {
  return interval === 'hour' ? `${formatDay(iso)} ${formatHour(iso)}` : formatDay(iso);
}

/** A bucket stands out when it is well above the rest: over mean + 2 standard deviations, and 3+. */
function bursts(values) {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  const sd = Math.sqrt(
    values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(values.length, 1),
  );
  return values.map((value) => value >= 3 && value > mean + 2 * sd);
}

function niceMax(value) {
  if (value <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

function mainChart(volume) {
  const values = volume.buckets.map((bucket) => bucket.matches);
  const total = values.reduce((a, b) => a + b, 0);
  const top = niceMax(Math.max(...values, 0));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / Math.max(values.length, 1);
  const barW = Math.max(1, step * 0.8);
  const burst = bursts(values);
  const peak = values.indexOf(Math.max(...values));
  const ticks = [0, top / 2, top];
  const every = Math.ceil(values.length / 8);
  return s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': `Matches per ${volume.interval}: ${total} in all${total > 0 ? `, most (${values[peak]}) in ${label(volume.buckets[peak].start, volume.interval)}` : ''}.`,
    },
    ticks.map((tick) => {
      const y = PAD.top + plotH - (tick / top) * plotH;
      return s(
        'g',
        { class: 'tick' },
        s('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y }),
        s('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end' }, String(tick)),
      );
    }),
    volume.buckets.map((bucket, index) => {
      const barH = (bucket.matches / top) * plotH;
      return s(
        'rect',
        {
          class: burst[index] ? 'bar burst' : 'bar',
          x: PAD.left + index * step + (step - barW) / 2,
          y: PAD.top + plotH - barH,
          width: barW,
          height: barH,
          'data-start': bucket.start,
          'data-count': bucket.matches,
        },
        s('title', {}, `${label(bucket.start, volume.interval)}: ${bucket.matches} matches`),
      );
    }),
    volume.buckets.map((bucket, index) =>
      index % every === 0
        ? s(
            'text',
            {
              class: 'x-label',
              x: PAD.left + index * step + step / 2,
              y: HEIGHT - 8,
              'text-anchor': 'middle',
            },
            label(bucket.start, volume.interval),
          )
        : null,
    ),
  );
}

/** One small bar row per facet, on a shared scale, so facets compare at a glance. */
function facetRows(volume) {
  const top = Math.max(1, ...volume.buckets.flatMap((bucket) => Object.values(bucket.facets)));
  return h(
    'ul',
    { class: 'facet-rows' },
    volume.facets.map((facet) => {
      const values = volume.buckets.map((bucket) => bucket.facets[facet] ?? 0);
      const total = values.reduce((a, b) => a + b, 0);
      const step = WIDTH / Math.max(values.length, 1);
      return h(
        'li',
        { 'data-facet': facet },
        h('span', { class: 'facet-name' }, facet),
        h('span', { class: 'num facet-total' }, String(total)),
        s(
          'svg',
          {
            class: 'spark',
            viewBox: `0 0 ${WIDTH} ${ROW_HEIGHT}`,
            preserveAspectRatio: 'none',
            role: 'img',
            'aria-label': `${facet}: ${total} matches`,
          },
          values.map((value, index) =>
            value > 0
              ? s('rect', {
                  class: 'bar',
                  x: index * step + step * 0.1,
                  y: ROW_HEIGHT - (value / top) * ROW_HEIGHT,
                  width: Math.max(1, step * 0.8),
                  height: (value / top) * ROW_HEIGHT,
                })
              : null,
          ),
        ),
      );
    }),
  );
}

function dataTable(volume) {
  const rows = volume.buckets.filter((bucket) => bucket.matches > 0);
  return h(
    'details',
    { class: 'numbers' },
    h('summary', {}, 'Show the numbers'),
    rows.length === 0
      ? h('p', { class: 'muted' }, 'No matches in this range.')
      : h(
          'table',
          { class: 'data volume-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, volume.interval === 'hour' ? 'Hour' : 'Day'),
              h('th', { scope: 'col' }, 'Matches'),
              volume.facets.map((facet) => h('th', { scope: 'col' }, facet)),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((bucket) =>
              h(
                'tr',
                {},
                h(
                  'th',
                  { scope: 'row' },
                  h('time', { datetime: bucket.start }, label(bucket.start, volume.interval)),
                ),
                h('td', { class: 'num' }, String(bucket.matches)),
                volume.facets.map((facet) =>
                  h('td', { class: 'num' }, String(bucket.facets[facet] ?? 0)),
                ),
              ),
            ),
          ),
        ),
  );
}

export function renderVolume(container, volume) {
  const total = volume.buckets.reduce((sum, bucket) => sum + bucket.matches, 0);
  replace(
    container,
    h(
      'p',
      { class: 'chart-total' },
      h('strong', { id: 'volume-total' }, String(total)),
      ` matches, per ${volume.interval}`,
    ),
    mainChart(volume),
    h('h3', { class: 'small-heading' }, 'By facet'),
    facetRows(volume),
    dataTable(volume),
  );
}

// The filter state lives in the page's URL, so a filtered view can be bookmarked and shared.

/** Filters of `GET /stories` (the same as `GET /matches`), as the URL carries them. */
export const FILTER_NAMES = ['q', 'facet', 'feed', 'lang', 'minScore', 'since', 'until'];

/** Stories per page, as the API's own default. */
const DEFAULT_LIMIT = 25;

/** Page state from a URL: the filters, the open story, the chart's range and the page size. */
export function stateFromUrl(href) {
  const params = new URL(href).searchParams;
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  const days = Number(params.get('days'));
  const limit = Number(params.get('limit'));
  return {
    filters,
    story: params.get('story') || undefined,
    days: [1, 3, 7, 14, 30, 90].includes(days) ? days : 7,
    interval: params.get('interval') === 'day' ? 'day' : 'hour',
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : DEFAULT_LIMIT,
  };
}

/** The URL (path and query) that holds `state`; defaults are left out. */
export function urlOfState(state) {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    if (state.filters[name]) params.set(name, state.filters[name]);
  }
  if (state.story) params.set('story', state.story);
  if (state.days !== 7) params.set('days', String(state.days));
  if (state.interval !== 'hour') params.set('interval', state.interval);
  if (state.limit !== DEFAULT_LIMIT) params.set('limit', String(state.limit));
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

/** The filters as API parameters: a date-only `until` covers its whole day. */
export function apiFilters(filters) {
  const params = { ...filters };
  if (/^\d{4}-\d{2}-\d{2}$/.test(params.until ?? ''))
    params.until = `${params.until}T23:59:59.999Z`;
  return params;
}

export function readForm(form) {
  const data = new FormData(form);
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = String(data.get(name) ?? '').trim();
    if (value) filters[name] = value;
  }
  return filters;
}

export function fillForm(form, filters) {
  for (const name of FILTER_NAMES) {
    const field = form.elements.namedItem(name);
    if (field) field.value = filters[name] ?? '';
  }
}

/**
 * Sets the choices of a select (facets, outlets) after its first "any" option. Called again after
 * every sweep, it leaves the select alone when the choices are the same, so a choice the user made
 * but did not apply yet stays.
 */
export function setChoices(select, values, current) {
  const all = new Set(values);
  if (current) all.add(current);
  const sorted = [...all].sort((a, b) => a.localeCompare(b));
  const shown = [...select.options].slice(1).map((option) => option.value);
  if (shown.length === sorted.length && shown.every((value, index) => value === sorted[index])) {
    return;
  }
  const chosen = select.value || current || '';
  select.replaceChildren(select.options[0]);
  for (const value of sorted) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = value;
    select.append(option);
  }
  select.value = all.has(chosen) ? chosen : '';
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const hourOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "Russian" for `ru`: the name of a language the API gives as an ISO 639-1 code. */
export function languageName(code) {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

export function formatDateTime(iso) {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '—' : dateTime.format(time);
}

export function formatDay(iso) {
  return shortDay.format(Date.parse(iso));
}

export function formatHour(iso) {
  return hourOnly.format(Date.parse(iso));
}

/** "5 min ago", "3 h ago", "2 d ago", or a date for older times. */
export function formatAgo(iso, now = Date.now()) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '—';
  const minutes = Math.round((now - time) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  if (minutes < 14 * 24 * 60) return `${Math.round(minutes / 1440)} d ago`;
  return formatDateTime(iso);
}

/** High at or above the alert threshold, medium above halfway from match to alert, else low. */
export function scoreBand(score, thresholds) {
  if (score >= thresholds.alert) return 'high';
  if (score >= (thresholds.match + thresholds.alert) / 2) return 'medium';
  return 'low';
}

export function formatScore(score) {
  return score.toFixed(2);
}

export function formatPercent(part, whole) {
  return whole > 0 ? `${Math.round((100 * part) / whole)}%` : '—';
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
  // Abbreviations non-English publishers put in RFC 822 dates anyway.
  ene: 0,
  gen: 0,
  fev: 1,
  fév: 1,
  mär: 2,
  mrz: 2,
  abr: 3,
  avr: 3,
  mai: 4,
  mag: 4,
  giu: 5,
  lug: 6,
  ago: 7,
  aoû: 7,
  set: 8,
  out: 9,
  okt: 9,
  ott: 9,
  dez: 11,
  dic: 11,
  déc: 11,
};
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  bst: 60,
  cet: 60,
  met: 60,
  cest: 120,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  sgt: 480,
  hkt: 480,
  jst: 540,
  kst: 540,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
};
const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const RFC822 =
  /^(?:[^\d\s,]+,?\s*)?(\d{1,2})[\s-]+([A-Za-z\u00C0-\u00FF]{3})[A-Za-z]*\.?[\s-]+(\d{2,4})(?:[\s,T]+(\d{1,2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?\b/;
// Month first: "Apr 03 2002 15:00 GMT" and JavaScript's own Date#toString.
const MONTH_FIRST =
  /^(?:[A-Za-z]+,?\s*)?([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(?:GMT)?([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?\b/;

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONES[zone.toLowerCase()] ?? 0;
}

function monthOf(name: string | undefined): number | undefined {
  return MONTHS[(name ?? '').toLowerCase()];
}

/** A date from its parts as matched; `time` holds hour, minute, second and zone. */
function build(
  year: number,
  month: number | undefined,
  day: string | undefined,
  time: (string | undefined)[],
): Date | undefined {
  const [hour = 0, minute = 0, second = 0] = time.slice(0, 3).map((part) => Number(part ?? 0));
  const date = Number(day);
  if (month === undefined || month < 0 || month > 11 || date < 1 || date > 31) return undefined;
  if (hour > 24 || minute > 59 || second > 60) return undefined;
  const utc = Date.UTC(year, month, date, hour, minute, second);
  const ms = utc - zoneOffsetMinutes(time[3]) * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function fullYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

/** Parse the date formats feeds use (RFC 822 and its variants, ISO 8601); undefined when unusable. */
export function parseFeedDate(raw: string | undefined): Date | undefined {
  const text = raw?.trim();
  if (!text || text.length > 100) return undefined;
  // Unix seconds (or milliseconds), as some generators emit.
  if (/^\d{9,13}$/.test(text))
    return new Date(text.length > 10 ? Number(text) : Number(text) * 1000);
  let match = ISO.exec(text);
  if (match) return build(Number(match[1]), Number(match[2]) - 1, match[3], match.slice(4));
  match = RFC822.exec(text);
  if (match) return build(fullYear(match[3] ?? ''), monthOf(match[2]), match[1], match.slice(4));
  match = MONTH_FIRST.exec(text);
  if (match) return build(Number(match[3]), monthOf(match[1]), match[2], match.slice(4));
  return undefined;
}

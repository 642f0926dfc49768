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

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONES[zone.toLowerCase()] ?? 0;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  zone: string | undefined,
): Date | undefined {
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined) return undefined;
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60)
    return undefined;
  const time = Date.UTC(year, month, day, hour, minute, second) - offset * 60_000;
  return Number.isNaN(time) ? undefined : new Date(time);
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
  const common = commonRfc822(text);
  if (common !== NOT_COMMON) return common;
  // Unix seconds (or milliseconds), as some generators emit.
  if (/^\d{9,13}$/.test(text))
    return new Date(text.length > 10 ? Number(text) : Number(text) * 1000);
  const iso = ISO.exec(text);
  if (iso) {
    return build(
      Number(iso[1]),
      Number(iso[2]) - 1,
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      iso[7],
    );
  }
  const rfc = RFC822.exec(text);
  if (rfc) {
    const month = MONTHS[(rfc[2] ?? '').toLowerCase()];
    if (month === undefined) return undefined;
    return build(
      fullYear(rfc[3] ?? ''),
      month,
      Number(rfc[1]),
      Number(rfc[4] ?? 0),
      Number(rfc[5] ?? 0),
      Number(rfc[6] ?? 0),
      rfc[7],
    );
  }
  const monthFirst = MONTH_FIRST.exec(text);
  if (monthFirst) {
    const month = MONTHS[(monthFirst[1] ?? '').toLowerCase()];
    if (month === undefined) return undefined;
    return build(
      Number(monthFirst[3]),
      month,
      Number(monthFirst[2]),
      Number(monthFirst[4] ?? 0),
      Number(monthFirst[5] ?? 0),
      Number(monthFirst[6] ?? 0),
      monthFirst[7],
    );
  }
  return undefined;
}

const NOT_COMMON = null;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Two ASCII digits at `at` as a number. */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 0x30) * 10 + text.charCodeAt(at + 1) - 0x30;
}

/**
 * The form nearly every RSS feed writes, `Sun, 29 Nov 2026 07:03:09 GMT` (or `+0100`), read by
 * position; the general patterns read it the same way, only slower. NOT_COMMON for anything else.
 */
function commonRfc822(text: string): Date | undefined | typeof NOT_COMMON {
  const zoneLength = text.length - 26;
  if (zoneLength !== 3 && zoneLength !== 5) return NOT_COMMON;
  if (!matchesLayout(text, COMMON_LAYOUT)) return NOT_COMMON;
  if (!matchesLayout(text, zoneLength === 3 ? ZONE_NAME_LAYOUT : ZONE_OFFSET_LAYOUT))
    return NOT_COMMON;
  const month = MONTHS[text.slice(8, 11).toLowerCase()];
  if (month === undefined) return undefined;
  return build(
    twoDigits(text, 12) * 100 + twoDigits(text, 14),
    month,
    twoDigits(text, 5),
    twoDigits(text, 17),
    twoDigits(text, 20),
    twoDigits(text, 23),
    text.slice(26),
  );
}

// What each position of the common form holds: L letter, D digit, S sign, anything else itself.
const COMMON_LAYOUT = 'LLL, DD LLL DDDD DD:DD:DD ';
const ZONE_NAME_LAYOUT = `${COMMON_LAYOUT}LLL`;
const ZONE_OFFSET_LAYOUT = `${COMMON_LAYOUT}SDDDD`;

function matchesLayout(text: string, layout: string): boolean {
  for (let at = 0; at < layout.length; at++) {
    const code = text.charCodeAt(at);
    const expected = layout.charCodeAt(at);
    if (expected === 0x4c /* L */) {
      if (!isLetter(code)) return false;
    } else if (expected === 0x44 /* D */) {
      if (!isDigit(code)) return false;
    } else if (expected === 0x53 /* S */) {
      if (code !== 0x2b && code !== 0x2d) return false;
    } else if (code !== expected) {
      return false;
    }
  }
  return true;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));

function pair(value: number): string {
  return TWO_DIGITS[value] as string;
}

/**
 * What `new Date(time).toISOString()` gives, computed without the runtime's date formatting,
 * which is a noticeable share of normalizing an item; years outside 1000-9999 use it anyway.
 */
export function isoTimestamp(time: number): string {
  const days = Math.floor(time / 86_400_000);
  let rest = time - days * 86_400_000;
  // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian).
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (!Number.isInteger(time) || year < 1000 || year > 9999) return new Date(time).toISOString();
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${year}-${pair(month)}-${pair(day)}T${pair(hours)}:${pair(minutes)}:${pair(seconds)}.${millis < 100 ? (millis < 10 ? '00' : '0') : ''}${millis}Z`;
}

import { decodeHTML } from 'entities';

/*
 * The one place where text from outside (feed documents, feed lists and OPML, anything a user or
 * a server sends) becomes text newswatch stores and shows. What it guarantees:
 * - no control characters: terminal escape sequences (CSI, OSC, DCS and the like) go whole, tab,
 *   CR and LF become a space (no stored field keeps line breaks), every other C0/C1 control goes;
 *   terminalText keeps LF and tab, for output newswatch lays out itself;
 * - no invisible format characters (\p{Cf}: bidi overrides and isolates such as U+202E, zero-width
 *   space, BOM, soft hyphen, tag characters), no lone surrogates, no U+FFFE/U+FFFF. The one
 *   exception: ZWJ (U+200D) and ZWNJ (U+200C) stay between two non-ASCII letters, marks or
 *   symbols, where emoji sequences, Persian and Indic scripts need them; anywhere else (inside a
 *   Latin word, at an edge) they only hide text and are removed;
 * - no `<` followed by a letter, `/`, `!` or `?`: nothing a browser could
 *   read as a tag, a comment or a processing instruction ("a<b" becomes "a< b"; "a < b" and
 *   "3<5" stay as they are).
 */

const TERMINAL_SEQUENCE = new RegExp(
  [
    // CSI (ESC [ or U+009B): parameters, intermediates, one final byte.
    '(?:\\u001B\\[|\\u009B)[\\u0030-\\u003F]*[\\u0020-\\u002F]*[\\u0040-\\u007E]?',
    // OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC \ or U+009C), or to the end.
    '(?:\\u001B[\\]PX^_]|[\\u0090\\u0098\\u009D-\\u009F])[^\\u0007\\u001B\\u009C]*(?:\\u0007|\\u001B\\\\|\\u009C)?',
    // Any other escape: intermediates and one final byte.
    '\\u001B[\\u0020-\\u002F]*[\\u0030-\\u007E]?',
  ].join('|'),
  'g',
);
// C0 and C1 controls and DEL, with the white space controls turned into spaces beforehand.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, keeping tab and LF.
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const SPACE_CONTROLS = /[\t\r\n]/g;
// CRLF and lone CR are line ends too.
const CARRIAGE_RETURN = /\r\n?/g;
// Format characters other than the joiners, lone surrogates and the two noncharacters.
const INVISIBLE = /(?![\u200C\u200D])\p{Cf}|\p{Cs}|[\uFFFE\uFFFF]/gu;
const JOINABLE = '(?:(?![\\u0000-\\u007F])[\\p{L}\\p{M}\\p{S}])';
const STRAY_JOINER = new RegExp(
  `(?<!${JOINABLE})[\\u200C\\u200D]|[\\u200C\\u200D](?!${JOINABLE})`,
  'gu',
);
// Collapse ASCII white space only: feeds use U+00A0 on purpose and readers expect to keep it.
const ASCII_SPACE = / {2,}/g;
const TAG_LIKE = /<(?=[\p{L}/!?])/gu;
// Anything cleanText would change: controls, format characters, lone surrogates, noncharacters,
// `<`, doubled spaces and white space at either end. Most feed text has none.
const NEEDS_CLEANING = /[\p{Cc}\p{Cf}\p{Cs}\uFFFE\uFFFF<]| {2}|^\s|\s$/u;

/** Text with controls, format characters and tag-like `<` removed; white space collapsed, trimmed. */
export function cleanText(text: string): string {
  return NEEDS_CLEANING.test(text) ? rebuildText(text) : text;
}

/**
 * Text made safe to write to a terminal, layout kept: escape sequences, controls (LF and tab
 * excepted) and invisible format characters removed. For output that newswatch lays out itself
 * around text from outside (alerts, run summaries, `parse` output).
 */
export function terminalText(text: string): string {
  return withoutInvisibles(
    text.replace(TERMINAL_SEQUENCE, '').replace(CARRIAGE_RETURN, '\n'),
    CONTROLS_BUT_LINES,
  );
}

function withoutInvisibles(text: string, controls: RegExp): string {
  return text.replace(controls, '').replace(INVISIBLE, '').replace(STRAY_JOINER, '');
}

function rebuildText(text: string): string {
  const visible = withoutInvisibles(
    text.replace(TERMINAL_SEQUENCE, '').replace(SPACE_CONTROLS, ' '),
    CONTROLS,
  );
  // Tag-like `<` last: removing an invisible character may have joined `<` to a letter.
  return visible.replace(ASCII_SPACE, ' ').trim().replace(TAG_LIKE, '< ');
}

/**
 * Whether a string carries HTML markup rather than plain text: a tag as an HTML tokenizer reads
 * one (`<img/src=x>` is a tag too) or a comment. Its entities are then HTML's to decode.
 */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-zA-Z][^<>]*>|<!--/.test(text);
}

// Elements dropped with everything inside them.
const BLOCK_ELEMENTS = new Set([
  'script',
  'style',
  'noscript',
  'iframe',
  'object',
  'embed',
  'template',
  'svg',
  'math',
  'head',
  'title',
  'select',
  'textarea',
]);
// Of those, the ones whose opening tag without a closing one takes the rest of the text along.
const DANGEROUS = new Set(['script', 'style', 'iframe', 'object', 'embed']);
// Tags that separate words when removed.
const BREAKING = new Set(
  'p div br hr li ul ol h1 h2 h3 h4 h5 h6 tr td th table blockquote pre section article header footer figure figcaption dd dt dl'.split(
    ' ',
  ),
);

interface StripOptions {
  /** What a tag left open at the end means: HTML drops it with the rest; literal text keeps it. */
  unterminated: 'drop' | 'keep';
}

/**
 * Remove every tag, comment, CDATA marker, doctype and processing instruction, in one linear pass
 * that reads `<` the way an HTML tokenizer does: a letter (or `/` and a letter) after it starts a
 * tag that runs to the next `>` outside a quoted attribute value; `<!` and `<?` start a comment.
 * Any other `<` is text.
 */
function stripMarkup(html: string, options: StripOptions): string {
  const parts: string[] = [];
  // Elements known to have no closing tag after some position: no second search to the end.
  const unclosedFrom = new Map<string, number>();
  let pos = 0;
  for (;;) {
    const open = html.indexOf('<', pos);
    if (open < 0) break;
    parts.push(html.slice(pos, open));
    const next = html.charCodeAt(open + 1);
    const closing = next === 0x2f; // '/'
    if (html.startsWith('<![CDATA[', open)) {
      pos = open + 9;
      continue;
    }
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      if (end < 0) return unterminated(parts, html, open, options);
      parts.push(' ');
      pos = end + 3;
      continue;
    }
    if (isAsciiLetter(closing ? html.charCodeAt(open + 2) : next)) {
      const end = tagEnd(html, open + 1);
      if (end < 0) return unterminated(parts, html, open, options);
      const name = tagName(html, open + (closing ? 2 : 1));
      pos = end + 1;
      if (BREAKING.has(name)) parts.push(' ');
      if (!closing && BLOCK_ELEMENTS.has(name) && html.charCodeAt(end - 1) !== 0x2f) {
        const after = closeOf(html, name, pos, unclosedFrom);
        if (after >= 0) {
          parts.push(' ');
          pos = after;
        } else if (DANGEROUS.has(name)) {
          return parts.join('');
        }
      }
      continue;
    }
    if (next === 0x21 || next === 0x3f || closing) {
      // `<!...>`, `<?...>` and `</` without a letter: a bogus comment up to the next `>`.
      const end = html.indexOf('>', open + 2);
      if (end < 0) return unterminated(parts, html, open, options);
      pos = end + 1;
      continue;
    }
    parts.push('<');
    pos = open + 1;
  }
  parts.push(html.slice(pos));
  return parts.join('');
}

/**
 * The text after a tag or comment that never ends: HTML drops it; literal text keeps it as it is,
 * for cleanText to make inert. Not looking for tags in it again keeps the pass linear.
 */
function unterminated(parts: string[], html: string, open: number, options: StripOptions): string {
  if (options.unterminated === 'keep') parts.push(html.slice(open));
  return parts.join('');
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function tagName(html: string, start: number): string {
  let end = start;
  while (end < html.length && /[A-Za-z0-9-]/.test(html.charAt(end))) end++;
  return html.slice(start, end).toLowerCase();
}

/** Index of the `>` that ends the tag starting before `from`, or -1 when it never ends. */
function tagEnd(html: string, from: number): number {
  let afterEquals = false;
  for (let index = from; index < html.length; index++) {
    const char = html.charCodeAt(index);
    if (char === 0x3e) return index; // '>'
    if ((char === 0x22 || char === 0x27) && afterEquals) {
      const close = html.indexOf(html.charAt(index), index + 1);
      if (close < 0) return -1;
      index = close;
      afterEquals = false;
    } else if (char === 0x3d) {
      afterEquals = true;
    } else if (char !== 0x20 && char !== 0x09 && char !== 0x0a && char !== 0x0d) {
      afterEquals = false;
    }
  }
  return -1;
}

/** Position after the closing tag of `name` at or after `from`, or -1. */
function closeOf(
  html: string,
  name: string,
  from: number,
  unclosedFrom: Map<string, number>,
): number {
  const known = unclosedFrom.get(name);
  if (known !== undefined && known <= from) return -1;
  const closer = new RegExp(`</${name}\\s*>`, 'gi');
  closer.lastIndex = from;
  const found = closer.exec(html);
  if (!found) {
    unclosedFrom.set(name, from);
    return -1;
  }
  return found.index + found[0].length;
}

/**
 * Plain text of an HTML fragment: scripts, styles and comments dropped, tags removed, entities
 * decoded, and markup that the decoding produced (`&lt;img ...&gt;`) removed as well.
 */
export function htmlToText(html: string): string {
  const stripped = stripMarkup(html, { unterminated: 'drop' }).replaceAll(']]>', '');
  if (!stripped.includes('&')) return cleanText(stripped);
  const decoded = decodeHTML(stripped);
  return cleanText(
    decoded.includes('<') ? stripMarkup(decoded, { unterminated: 'keep' }) : decoded,
  );
}

/** Plain text from a feed field that may or may not hold HTML. */
export function fieldToText(value: string): string {
  // Without a `<` there is neither markup nor anything dangerous to remove.
  if (!value.includes('<')) return cleanText(value);
  if (looksLikeHtml(value)) return htmlToText(value);
  return cleanText(stripMarkup(value, { unterminated: 'keep' }).replaceAll(']]>', ''));
}

/**
 * Cut text to at most `max` characters, on a word boundary when one is near, with an ellipsis.
 * Never between the two halves of a surrogate pair.
 */
export function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

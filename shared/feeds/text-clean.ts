import { decodeHTML } from 'entities';

// C0 controls (tab, newline and carriage return excepted), DEL and C1 controls never belong in text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
// Collapse ASCII white space only: feeds use U+00A0 on purpose and readers expect to keep it.
// Runs of two or more and lone non-space characters only, so single spaces cost no replacement.
const ASCII_SPACE = /[ \t\r\n\f]{2,}|[\t\r\n\f]/g;
const UNICODE_SPACE = /\s/;
// Elements dropped with everything inside them; an unclosed dangerous one takes the rest along.
const BLOCK_OPEN =
  /<!--|<(script|style|noscript|iframe|object|embed|template|svg|math|head|title|select|textarea)\b/gi;
const DANGEROUS = new Set(['script', 'style', 'iframe', 'object', 'embed']);
const closers = new Map<string, RegExp>();
const BLOCK_TAG =
  /<\/?(p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|section|article|header|footer|figure|figcaption|dd|dt|dl)\b[^<>]*>/gi;
const ANY_TAG = /<\/?[a-zA-Z][^<>]*>|<!\[CDATA\[|\]\]>/g;
// After entity decoding, markup that could run if a consumer forgot to escape is still removed.
const RESIDUAL_DANGEROUS =
  /<\/?(script|style|iframe|object|embed|link|meta|base|form|svg|math)\b[^<>]*>?/gi;

/** Text with control characters removed and ASCII white space collapsed and trimmed. */
export function cleanText(text: string): string {
  // Most feed text is already clean: one scan proves it and returns the string without copying.
  let previousSpace = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x20) {
      if (previousSpace) return rebuildText(text);
      previousSpace = true;
    } else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code >= 0xfffe) {
      return rebuildText(text);
    } else {
      previousSpace = false;
    }
  }
  if (text.length === 0) return text;
  if (previousSpace || trimmable(text, 0) || trimmable(text, text.length - 1))
    return rebuildText(text);
  return text;
}

/** Whether trim() would remove the character at `index` (a non-ASCII space such as U+00A0). */
function trimmable(text: string, index: number): boolean {
  return text.charCodeAt(index) >= 0xa0 && UNICODE_SPACE.test(text.charAt(index));
}

function rebuildText(text: string): string {
  return text.replace(CONTROL_CHARS, '').replace(ASCII_SPACE, ' ').trim();
}

/** Whether a string looks like it carries HTML markup rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-zA-Z][\w:-]*(\s[^<>]*)?\/?>|<!--/.test(text);
}

/** Plain text of an HTML fragment: scripts and styles dropped, tags removed, entities decoded. */
export function htmlToText(html: string): string {
  const stripped = dropBlocks(html).replace(BLOCK_TAG, ' ').replace(ANY_TAG, '');
  const decoded = stripped.includes('&') ? decodeHTML(stripped) : stripped;
  return cleanText(decoded.includes('<') ? decoded.replace(RESIDUAL_DANGEROUS, '') : decoded);
}

/** Remove comments and script-like elements with their content, in one linear pass. */
function dropBlocks(html: string): string {
  const parts: string[] = [];
  let pos = 0;
  // The module's own global regex is safe to reuse: this loop never re-enters itself.
  const opener = BLOCK_OPEN;
  opener.lastIndex = 0;
  for (let open = opener.exec(html); open; open = opener.exec(html)) {
    const name = open[1]?.toLowerCase();
    let closer = name ? closers.get(name) : /-->/g;
    if (name && !closer) {
      closer = new RegExp(`</${name}\\s*>`, 'gi');
      closers.set(name, closer);
    }
    (closer as RegExp).lastIndex = open.index + open[0].length;
    const close = (closer as RegExp).exec(html);
    parts.push(html.slice(pos, open.index), ' ');
    if (close) {
      pos = close.index + close[0].length;
    } else if (!name || DANGEROUS.has(name)) {
      return parts.join('');
    } else {
      pos = open.index + open[0].length;
    }
    opener.lastIndex = pos;
  }
  parts.push(html.slice(pos));
  return parts.join('');
}

/** Plain text from a feed field that may or may not hold HTML. */
export function fieldToText(value: string): string {
  // Without a `<` there is neither markup nor anything dangerous to remove.
  if (!value.includes('<')) return cleanText(value);
  if (looksLikeHtml(value)) return htmlToText(value);
  return cleanText(value.replace(RESIDUAL_DANGEROUS, ''));
}

/** Cut text to at most `max` characters, on a word boundary when one is near, with an ellipsis. */
export function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

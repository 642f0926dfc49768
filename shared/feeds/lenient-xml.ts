import { decodeHTMLStrict } from 'entities';
import { FeedError } from './feed-error.ts';

/** One element of a leniently parsed XML document. */
export interface XmlElement {
  /** Qualified name as written, e.g. `dc:title`. */
  name: string;
  /** Name without prefix. */
  local: string;
  /** Namespace URI resolved from xmlns declarations (well-known prefixes when undeclared). */
  ns: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  parent: XmlElement | undefined;
  /** Set when the document ended before this element was closed. */
  incomplete?: boolean;
}

export type XmlNode = XmlElement | string;

export interface XmlDocument {
  /** Top-level elements in order (a well-formed document has one). */
  roots: XmlElement[];
  /** False when the input ended with elements still open. */
  complete: boolean;
  /** Entries (elements named `item` or `entry`) past `maxEntries`, read over and not built. */
  entriesLeftOut: number;
  /** What the budgets left out, one sentence each; empty when they left out nothing. */
  warnings: string[];
}

/**
 * What one document may build, so memory follows what can be used, not the document's shape:
 * past a budget the parser still reads the markup (to keep nesting right) but builds nothing.
 * Each is unlimited when absent.
 */
export interface XmlBudgets {
  /** Elements built in all; later ones (and their text) are left out. */
  maxElements?: number;
  /** Entries (elements named `item` or `entry`, any prefix) built; later ones are counted only. */
  maxEntries?: number;
  /** Characters of text kept per element, and per attribute value. */
  maxTextChars?: number;
  /** Attributes kept per element. */
  maxAttributes?: number;
}

export interface XmlParseOptions extends XmlBudgets {
  /** Deeper nesting fails the document with TOO_DEEP. */
  maxDepth: number;
}

const WELL_KNOWN_PREFIXES: Record<string, string> = {
  xml: 'http://www.w3.org/XML/1998/namespace',
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  media: 'http://search.yahoo.com/mrss/',
};

// Quoted values stop at `<` (never legal there) so a stray quote cannot make scanning quadratic.
const ATTRIBUTE = /([^\s/>=<"']+)(?:\s*=\s*(?:"([^"<]*)"|'([^'<]*)'|([^\s>"'<]+)))?/y;
const NON_ASCII_SPACE = /\s/;

/** What `\s` matches, by character code; only non-ASCII codes need the regex. */
function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return code >= 0xa0 && NON_ASCII_SPACE.test(String.fromCharCode(code));
}

/** Letters, `_`, `:` and everything from U+00C0 up may start an element name. */
function isNameStart(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x3a ||
    code >= 0xc0
  );
}

/** An element name runs until white space or one of / > = < " '. */
function isNameChar(code: number): boolean {
  return (
    code !== 0x2f &&
    code !== 0x3e &&
    code !== 0x3d &&
    code !== 0x3c &&
    code !== 0x22 &&
    code !== 0x27 &&
    !isSpace(code)
  );
}

// Feeds are XML, so named entities mean what the XHTML 1.0 entity sets say; these two differ from HTML5.
const XHTML1_ENTITIES = /&(lang|rang);/g;
const XHTML1_VALUES: Record<string, string> = { lang: '\u2329', rang: '\u232A' };

/** Entities: the XML five, numeric references and HTML named ones; unknown ones stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return decodeHTMLStrict(
    text.replace(XHTML1_ENTITIES, (_, name: string) => XHTML1_VALUES[name] ?? ''),
  );
}

interface Scope {
  /** Where the element's name is written in the text, and its length. */
  nameAt: number;
  nameLength: number;
  /** Undefined for an element read over and left out (a budget was spent). */
  element: XmlElement | undefined;
  namespaces: Record<string, string>;
  /** Characters of text kept in this element so far. */
  textChars: number;
}

// Shared by every element without attributes, or without children (self-closing): most of them.
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({});
/** Stands for the match of an attribute read over. */
const SKIPPED = [] as unknown as RegExpExecArray;
const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];

/** Whether the text from `at` reads as the name of `scope`, for `length` characters. */
function named(text: string, scope: Scope, at: number, length: number): boolean {
  if (scope.nameLength !== length) return false;
  for (let index = 0; index < length; index++) {
    if (text.charCodeAt(scope.nameAt + index) !== text.charCodeAt(at + index)) return false;
  }
  return true;
}

/** Whether the name written from `at` to `end` is `item` or `entry`, with any prefix. */
function isEntryName(text: string, at: number, end: number): boolean {
  let from = end;
  while (from > at && text.charCodeAt(from - 1) !== 0x3a /* : */) from--;
  const length = end - from;
  return (
    (length === 4 && text.startsWith('item', from)) ||
    (length === 5 && text.startsWith('entry', from))
  );
}

/**
 * Parse XML without ever failing on what real feeds get wrong: bare `&`, undefined or HTML
 * entities, stray end tags, truncation. The DTD is skipped, so no entity is ever expanded and
 * nothing external is fetched; nesting is bounded and walked without recursion.
 */
export function parseLenientXml(text: string, options: XmlParseOptions): XmlDocument {
  const maxElements = options.maxElements ?? Number.POSITIVE_INFINITY;
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  const maxTextChars = options.maxTextChars ?? Number.POSITIVE_INFINITY;
  const maxAttributes = options.maxAttributes ?? Number.POSITIVE_INFINITY;
  const roots: XmlElement[] = [];
  // Open elements are stack[0 .. depth - 1]; the scope objects are reused, so reading over
  // millions of elements allocates none.
  const stack: Scope[] = [];
  let depth = 0;
  const enter = (
    nameAt: number,
    nameLength: number,
    element: XmlElement | undefined,
    scopeNamespaces: Record<string, string>,
  ): void => {
    const scope = stack[depth];
    if (scope) {
      scope.nameAt = nameAt;
      scope.nameLength = nameLength;
      scope.element = element;
      scope.namespaces = scopeNamespaces;
      scope.textChars = 0;
    } else {
      stack[depth] = { nameAt, nameLength, element, namespaces: scopeNamespaces, textChars: 0 };
    }
    depth++;
  };
  let namespaces: Record<string, string> = {};
  let pos = 0;
  const length = text.length;
  let built = 0;
  let entries = 0;
  const left = { elements: 0, entries: 0, text: 0, attributes: 0 };

  /** Raw text (entities still written) from `from` to `to`, kept up to the element's budget. */
  const appendRaw = (from: number, to: number, decode: boolean): void => {
    const top = depth > 0 ? stack[depth - 1] : undefined;
    if (!top?.element || to <= from) return;
    const room = maxTextChars - top.textChars;
    if (room <= 0) {
      left.text++;
      return;
    }
    const end = to - from > room ? from + room : to;
    if (end < to) left.text++;
    const raw = text.slice(from, end);
    const value = decode ? decodeEntities(raw) : raw;
    if (value === '') return;
    top.textChars += value.length;
    const children = top.element.children;
    const last = children[children.length - 1];
    if (typeof last === 'string') children[children.length - 1] = last + value;
    else children.push(value);
  };

  while (pos < length) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) {
      appendRaw(pos, length, true);
      break;
    }
    if (lt > pos) appendRaw(pos, lt, true);
    const next = text.charCodeAt(lt + 1);
    if (next === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        pos = end === -1 ? length : end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        appendRaw(lt + 9, end === -1 ? length : end, false);
        pos = end === -1 ? length : end + 3;
      } else {
        pos = skipDeclaration(text, lt + 2);
      }
      continue;
    }
    if (next === 63 /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      pos = end === -1 ? length : end + 2;
      continue;
    }
    if (next === 47 /* / */) {
      const end = text.indexOf('>', lt + 2);
      pos = end === -1 ? length : end + 1;
      // Nearly every end tag closes the innermost element exactly as it was opened.
      const top = depth > 0 ? stack[depth - 1] : undefined;
      if (top && end === lt + 2 + top.nameLength && named(text, top, lt + 2, top.nameLength)) {
        depth -= 1;
        namespaces = depth > 0 ? (stack[depth - 1]?.namespaces ?? {}) : {};
        continue;
      }
      let nameAt = lt + 2;
      let nameEnd = end === -1 ? length : end;
      while (nameAt < nameEnd && isSpace(text.charCodeAt(nameAt))) nameAt++;
      while (nameEnd > nameAt && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
      // A stray end tag is ignored; a matching one closes everything opened inside it.
      for (let index = depth - 1; index >= 0; index--) {
        const scope = stack[index];
        if (scope && named(text, scope, nameAt, nameEnd - nameAt)) {
          depth = index;
          namespaces = index > 0 ? (stack[index - 1]?.namespaces ?? {}) : {};
          break;
        }
      }
      continue;
    }
    if (!isNameStart(next)) {
      appendRaw(lt, lt + 1, false);
      pos = lt + 1;
      continue;
    }
    let cursor = lt + 2;
    while (cursor < length && isNameChar(text.charCodeAt(cursor))) cursor++;
    const nameAt = lt + 1;
    const nameEnd = cursor;
    const nameLength = nameEnd - nameAt;
    const parent = depth > 0 ? stack[depth - 1] : undefined;
    // Built only inside a built parent (or at the top) and within the budgets.
    let build = parent === undefined || parent.element !== undefined;
    if (build && isEntryName(text, nameAt, cursor) && ++entries > maxEntries) {
      build = false;
      left.entries++;
    } else if (build && built >= maxElements) {
      // An entry lost here is the elements warning's, not counted among the entries left out.
      build = false;
      left.elements++;
    }
    // Attributes get an object of their own only when there are some to keep. Nothing is
    // allocated for an element read over: V8 soon allocates what such a site makes straight in
    // the old generation (built elements live on), where garbage lingers.
    let attrs = NO_ATTRIBUTES;
    let attributes = 0;
    let selfClosing = false;
    let closed = false;
    let hasAttributes = false;
    while (cursor < length) {
      while (cursor < length && isSpace(text.charCodeAt(cursor))) cursor++;
      const code = text.charCodeAt(cursor);
      if (code === 62 /* > */ || (code === 47 /* / */ && text.charCodeAt(cursor + 1) === 62)) {
        selfClosing = code === 47;
        cursor += selfClosing ? 2 : 1;
        closed = true;
        break;
      }
      ATTRIBUTE.lastIndex = cursor;
      // An attribute not kept is only read over: test() builds no match.
      const keep = build && attributes < maxAttributes;
      const attribute = keep ? ATTRIBUTE.exec(text) : ATTRIBUTE.test(text) ? SKIPPED : null;
      if (!attribute || ATTRIBUTE.lastIndex === cursor) {
        // Junk inside a tag (a stray quote or `<`): skip one character and keep going.
        cursor += 1;
        continue;
      }
      cursor = ATTRIBUTE.lastIndex;
      if (attribute === SKIPPED) {
        if (build) left.attributes++;
        continue;
      }
      const key = attribute[1] ?? '';
      if (key in attrs) continue;
      attributes++;
      if (!hasAttributes) attrs = {};
      hasAttributes = true;
      const raw = attribute[2] ?? attribute[3] ?? attribute[4] ?? '';
      if (raw.length > maxTextChars) left.text++;
      attrs[key] = decodeEntities(raw.length > maxTextChars ? raw.slice(0, maxTextChars) : raw);
    }
    pos = cursor;
    if (!closed) break;
    if (!selfClosing && depth >= options.maxDepth) {
      throw new FeedError('TOO_DEEP', `elements nest deeper than ${options.maxDepth} levels`);
    }
    if (!build) {
      if (!selfClosing) enter(nameAt, nameLength, undefined, namespaces);
      continue;
    }
    built++;

    let scope = namespaces;
    if (hasAttributes)
      for (const key in attrs) {
        if (key === 'xmlns' || key.startsWith('xmlns:')) {
          if (scope === namespaces) scope = { ...namespaces };
          scope[key === 'xmlns' ? '' : key.slice(6)] = attrs[key] ?? '';
        }
      }
    const name = text.slice(nameAt, nameEnd);
    const colon = name.indexOf(':');
    const local = colon === -1 ? name : name.slice(colon + 1);
    const prefix = colon === -1 ? '' : name.slice(0, colon);
    const element: XmlElement = {
      name,
      local,
      ns: scope[prefix] ?? WELL_KNOWN_PREFIXES[prefix] ?? '',
      attrs,
      children: selfClosing ? NO_CHILDREN : [],
      parent: parent?.element,
    };
    if (element.parent) element.parent.children.push(element);
    else roots.push(element);
    if (!selfClosing) {
      enter(nameAt, nameLength, element, scope);
      namespaces = scope;
    }
  }
  for (let index = 0; index < depth; index++) {
    const open = stack[index]?.element;
    if (open) open.incomplete = true;
  }
  return {
    roots,
    complete: depth === 0,
    entriesLeftOut: left.entries,
    warnings: budgetWarnings(left, options),
  };
}

function budgetWarnings(
  left: { elements: number; text: number; attributes: number },
  options: XmlBudgets,
): string[] {
  const warnings: string[] = [];
  if (left.elements > 0)
    warnings.push(
      `the document has more than ${options.maxElements} elements; ${left.elements} more were left out`,
    );
  if (left.text > 0)
    warnings.push(
      `${left.text} text(s) longer than ${options.maxTextChars} characters were cut there`,
    );
  if (left.attributes > 0)
    warnings.push(
      `${left.attributes} attribute(s) past ${options.maxAttributes} on one element were left out`,
    );
  return warnings;
}

/** Skip `<!DOCTYPE ...>` (with its internal subset) or any other `<!...>` declaration. */
function skipDeclaration(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '[') {
      depth++;
    } else if (char === ']') {
      depth--;
    } else if (char === '>' && depth <= 0) {
      return index + 1;
    }
  }
  return text.length;
}

// The walks below recurse: the parser bounds nesting (maxDepth), so the stack stays shallow.

/** Concatenated text of an element and its descendants. */
export function textContent(element: XmlElement): string {
  const children = element.children;
  // Most elements hold one text run (or nothing): returned without copying.
  if (children.length === 1 && typeof children[0] === 'string') return children[0];
  return children.map((child) => (typeof child === 'string' ? child : textContent(child))).join('');
}

/** Markup of an element's children re-serialized (for Atom xhtml content). */
export function innerXml(element: XmlElement): string {
  return element.children
    .map((child) =>
      typeof child === 'string'
        ? escapeText(child)
        : `<${child.local}>${innerXml(child)}</${child.local}>`,
    )
    .join('');
}

/** Text with `&`, `<` and `>` escaped as XML writes them. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Direct child elements. */
export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((child) => typeof child !== 'string');
}

import { dedupeKeyOf } from './canonical-url.ts';
import type { NormalizedItem } from './feed-item.ts';
import { escapeText } from './lenient-xml.ts';
import { sha256Base64url } from './sha256.ts';

/**
 * A feed's next document mostly repeats its last one: a few new items on top, the rest byte for
 * byte the same. Each entry (an RSS or RDF `item`, an Atom `entry`) gets a digest of its text, the
 * feed state keeps the digests of the last document, and the next parse leaves out the entries
 * whose digest it knows, so only what changed is read, cleaned and normalized.
 */

/** Characters of one entry digest (48 bits), the same record size as the feed's item digests. */
export const ENTRY_DIGEST_CHARS = 8;

/** Where one entry lies in the document's text, end exclusive. */
interface EntrySpan {
  start: number;
  end: number;
}

export interface EntryScan {
  spans: EntrySpan[];
  /** The digest of each span's text, in document order. */
  digests: string[];
}

// An item or entry tag (any namespace prefix), or the start of a CDATA section or comment, whose
// contents are text and must not be taken for tags.
const MARKUP = /<!\[CDATA\[|<!--|<(\/?)((?:[A-Za-z_][\w.-]*:)?(?:item|entry))(?=[\s/>])/g;

/** An entry's digest: of its text as UTF-8, or of its bytes as sent, which is the same for UTF-8. */
const entryDigest = (entry: string | Uint8Array): string =>
  sha256Base64url(entry).slice(0, ENTRY_DIGEST_CHARS);

/**
 * The entries of an XML feed document and their digests; undefined when the document is not one
 * this scan can cut safely (an entry inside an entry, a stray or mismatched end tag, an unclosed
 * entry, comment or CDATA section, more than `limit` entries): such a document is parsed whole.
 *
 * `text` may also be the bytes of a UTF-8 document read one character a byte (latin1), with the
 * bytes as `digestOf`: every tag the scan looks for is ASCII, so the spans are byte ranges, and
 * digesting the bytes spares decoding the whole document and encoding each entry again.
 */
export function scanEntries(
  text: string,
  limit: number,
  digestOf: string | Uint8Array = text,
): EntryScan | undefined {
  const spans: EntrySpan[] = [];
  const pattern = new RegExp(MARKUP.source, 'g');
  let open: { name: string; start: number } | undefined;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const token = match[0];
    if (token === '<![CDATA[' || token === '<!--') {
      const close = text.indexOf(token === '<!--' ? '-->' : ']]>', pattern.lastIndex);
      if (close === -1) return undefined;
      pattern.lastIndex = close + 3;
      continue;
    }
    const closing = match[1] === '/';
    const name = match[2] as string;
    const tagEnd = text.indexOf('>', pattern.lastIndex);
    if (tagEnd === -1) return undefined;
    pattern.lastIndex = tagEnd + 1;
    if (open) {
      if (!closing || name !== open.name) return undefined;
      spans.push({ start: open.start, end: tagEnd + 1 });
      open = undefined;
    } else if (closing) {
      return undefined;
    } else if (text.charCodeAt(tagEnd - 1) === 0x2f) {
      spans.push({ start: match.index, end: tagEnd + 1 });
    } else {
      open = { name, start: match.index };
    }
    if (spans.length > limit) return undefined;
  }
  if (open) return undefined;
  const entryOf =
    typeof digestOf === 'string'
      ? (span: EntrySpan) => digestOf.slice(span.start, span.end)
      : (span: EntrySpan) => digestOf.subarray(span.start, span.end);
  return { spans, digests: spans.map((span) => entryDigest(entryOf(span))) };
}

export interface SplicedDocument {
  /** The document without its known entries: what precedes, separates and follows them stays. */
  text: string;
  /** Entries left out. */
  unchanged: number;
}

/** The document without the entries whose digest is known; undefined when none is. */
export function withoutKnownEntries(
  text: string,
  scan: EntryScan,
  known: ReadonlySet<string>,
): SplicedDocument | undefined {
  const parts: string[] = [];
  let from = 0;
  let unchanged = 0;
  scan.spans.forEach((span, index) => {
    if (!known.has(scan.digests[index] as string)) return;
    parts.push(text.slice(from, span.start));
    from = span.end;
    unchanged++;
  });
  if (unchanged === 0) return undefined;
  parts.push(text.slice(from));
  return { text: parts.join(''), unchanged };
}

function occurrences(text: string, value: string): number {
  let count = 0;
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
    count++;
  }
  return count;
}

/**
 * Whether the items read from the spliced document have the identity a whole parse would give
 * them. An item's id depends on the other items only through identifiers they share (a guid a CMS
 * reuses, a link under several stories), so each item's link and guid must be found in the
 * spliced text, as written or XML-escaped, and nowhere in the entries left out. The link is
 * looked for without its query first (a query often differs between the feed and the canonical
 * form), then whole, for sites whose articles differ only by query (`article.cfm?id=...`). Not
 * found at all (written with other escapes, say): the answer is no, and the document is parsed
 * whole. The texts may be byte views (see scanEntries), with `asWritten` giving a value's view.
 */
export function identityUnaffected(
  items: NormalizedItem[],
  fullText: string,
  splicedText: string,
  asWritten: (value: string) => string = (value) => value,
): boolean {
  const onlyInSplice = (value: string) => {
    const written = asWritten(value);
    const inSplice = occurrences(splicedText, written);
    return inSplice > 0 && occurrences(fullText, written) === inSplice;
  };
  const writtenOnlyInSplice = (value: string) => {
    if (onlyInSplice(value)) return true;
    const escaped = escapeText(value);
    return escaped !== value && onlyInSplice(escaped);
  };
  for (const item of items) {
    if (!item.link) return false;
    const url = new URL(item.link);
    // Identified by its own link, not by a guid or fingerprint standing in for a shared one.
    if (item.dedupeKeys[0] !== dedupeKeyOf(url)) return false;
    const { host, pathname, search } = url;
    if (pathname.length < 2) return false;
    const place = `${host}${pathname}`;
    if (!onlyInSplice(place) && !(search && writtenOnlyInSplice(`${place}${search}`))) return false;
    if (item.guid && !writtenOnlyInSplice(item.guid)) return false;
  }
  return true;
}

import { isAscii } from 'node:buffer';
import { FeedError } from './feed-error.ts';

export interface DecodedBody {
  text: string;
  /** The encoding actually used. */
  encoding: string;
  /** Where it came from: a BOM, the HTTP charset, the XML declaration, sniffed, or the fallback. */
  source: 'bom' | 'http' | 'xml-declaration' | 'sniffed' | 'fallback';
  warnings: string[];
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * The WHATWG name of a charset label, as browsers read it (ISO-8859-1 and ASCII are windows-1252,
 * GB2312 is GBK), or undefined when the runtime cannot decode it. Feeds are decoded by the
 * runtime's TextDecoder (ICU), locally and on Lambda alike: no charset tables of our own.
 */
function normalizeLabel(label: string): string | undefined {
  const name = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (name === '') return undefined;
  try {
    return new TextDecoder(name === 'latin-1' ? 'latin1' : name).encoding;
  } catch {
    return undefined;
  }
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  // UTF-16 without a BOM still starts with `<` (or white space) next to a zero byte.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] !== 0x00)
    return { encoding: 'utf-16le', length: 0 };
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return { encoding: 'utf-16be', length: 0 };
  return undefined;
}

/** The charset parameter of a Content-Type header. */
export function charsetOfContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return match?.[2];
}

function xmlDeclarationEncoding(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII in every ASCII-compatible charset; leading junk is tolerated.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString(
    'latin1',
  );
  const match = /<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1];
}

/**
 * What windows-1252 puts at 0x80-0x9F (WHATWG index); every other byte is its Latin-1 code point.
 * Several Node releases (20.18.3+, 22.13-22.18, 24.0-24.6: nodejs/node#60888) decode
 * windows-1252 as Latin-1 in TextDecoder, so this one charset, the most common fallback, is
 * decoded here and reads the same on every Node.
 */
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Never throws on malformed bytes (replaced by U+FFFD or, by some ICU converters, dropped): one
 * bad byte never loses the feed.
 */
function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding !== 'windows-1252') return new TextDecoder(encoding).decode(bytes);
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_C1.charAt(c.charCodeAt(0) - 0x80));
}

/**
 * Decode a feed body: BOM first, then the HTTP charset, then the XML declaration; without any,
 * UTF-8 when the bytes are valid UTF-8, else windows-1252.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const warnings: string[] = [];
  try {
    const bom = bomEncoding(bytes);
    if (bom) {
      return {
        text: stripBom(decodeWith(bytes.subarray(bom.length), bom.encoding)),
        encoding: bom.encoding,
        source: 'bom',
        warnings,
      };
    }
    const declared: [DecodedBody['source'], string | undefined][] = [
      ['http', charsetOfContentType(contentType)],
      ['xml-declaration', xmlDeclarationEncoding(bytes)],
    ];
    for (const [source, label] of declared) {
      if (!label) continue;
      const encoding = normalizeLabel(label);
      if (!encoding) {
        warnings.push(`unknown charset "${label}" (${source}) ignored`);
        continue;
      }
      // A UTF-16 label on bytes without zero bytes is a mislabel; sniff instead.
      if (encoding.startsWith('utf-16')) continue;
      if (encoding === 'utf-8') {
        const guessed = utf8OrWindows1252(bytes);
        if (guessed.encoding === 'utf-8') return { ...guessed, source, warnings };
        // A wrong UTF-8 label (a server default) gives way to the next declaration.
        warnings.push(`declared UTF-8 (${source}) but the bytes are not`);
        continue;
      }
      // Servers stamp their default Latin-1 on feeds that are really UTF-8; strict UTF-8 with
      // multi-byte sequences is almost never genuine Latin-1 text.
      const multibyte = encoding === 'windows-1252' ? multibyteUtf8Text(bytes) : undefined;
      if (multibyte !== undefined) {
        warnings.push(`declared ${label} (${source}) but the bytes are UTF-8; decoded as UTF-8`);
        return { text: stripBom(multibyte), encoding: 'utf-8', source: 'sniffed', warnings };
      }
      return { text: stripBom(decodeWith(bytes, encoding)), encoding, source, warnings };
    }
    const guessed = utf8OrWindows1252(bytes);
    if (guessed.encoding !== 'utf-8')
      warnings.push('no usable charset declared; decoded as windows-1252');
    return { ...guessed, source: guessed.encoding === 'utf-8' ? 'sniffed' : 'fallback', warnings };
  } catch (error) {
    throw new FeedError('DECODE', `could not decode the feed body: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The text of valid UTF-8 that uses at least one multi-byte sequence, decoded once; else undefined. */
function multibyteUtf8Text(bytes: Uint8Array): string | undefined {
  if (isAscii(bytes)) return undefined;
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** UTF-8 when the bytes are (mostly) UTF-8: a few broken sequences in a UTF-8 feed stay UTF-8. */
function utf8OrWindows1252(bytes: Uint8Array): { text: string; encoding: string } {
  try {
    return { text: stripBom(utf8Strict.decode(bytes)), encoding: 'utf-8' };
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    let broken = 0;
    let wide = 0;
    for (let index = 0; index < lossy.length; index++) {
      const code = lossy.charCodeAt(index);
      if (code === 0xfffd) broken++;
      else if (code > 0x7f) wide++;
    }
    if (wide > broken * 4) return { text: stripBom(lossy), encoding: 'utf-8' };
    return { text: decodeWith(bytes, 'windows-1252'), encoding: 'windows-1252' };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';
import { FeedError } from './feed-error.ts';

export interface DecodedBody {
  text: string;
  /** The encoding actually used. */
  encoding: string;
  /** Where it came from: bom, http, xml-declaration, utf-8 (valid) or windows-1252 (fallback). */
  source: 'bom' | 'http' | 'xml-declaration' | 'sniffed' | 'fallback';
  warnings: string[];
}

// Labels that real feeds use for a narrower charset than they actually contain (WHATWG mapping).
const SUPERSETS: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'latin-1': 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'iso-8859-9': 'windows-1254',
  gb2312: 'gbk',
  'gb_2312-80': 'gbk',
  'x-gbk': 'gbk',
  'x-sjis': 'shift_jis',
  'unicode-1-1-utf-8': 'utf-8',
  utf8: 'utf-8',
};

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function normalizeLabel(label: string): string | undefined {
  const lower = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (lower === '') return undefined;
  const mapped = SUPERSETS[lower] ?? lower;
  if (mapped === 'utf-8' || mapped === 'utf-16le' || mapped === 'utf-16be') return mapped;
  return iconv.encodingExists(mapped) ? mapped : undefined;
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

function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  if (encoding === 'utf-16le' || encoding === 'utf-16be')
    return new TextDecoder(encoding).decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), encoding);
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

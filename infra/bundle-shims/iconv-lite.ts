/**
 * Stands in for iconv-lite inside the Lambda bundles (esbuild alias in `BUNDLE_OPTIONS`): the
 * Lambda Node runtime has full ICU, so WHATWG TextDecoder covers the legacy feed charsets
 * (windows-125x, KOI8, ISO-8859-x, Shift_JIS, EUC-JP/KR, GBK, GB18030, Big5) that iconv-lite's
 * half-megabyte of tables would otherwise add. Only the two calls the feed decoder makes exist.
 */

/** True when the runtime can decode this charset label. */
function encodingExists(encoding: string): boolean {
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

/** Decodes bytes in the given charset; malformed sequences become U+FFFD, as iconv-lite does. */
function decode(bytes: Uint8Array, encoding: string): string {
  return new TextDecoder(encoding).decode(bytes);
}

export default { encodingExists, decode };
export { decode, encodingExists };

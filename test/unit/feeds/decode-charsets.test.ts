import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '#shared/feeds/decode-body.ts';
import {
  declaredCorpusFeeds,
  reencodedCorpusSamples,
} from '../../fixtures/feeds/charset-samples.ts';
import { sharedData } from '../../support/shared-data.ts';

/** What windows-1252 puts at 0x80-0x9F, from the WHATWG Encoding Standard's index. */
const WINDOWS_1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

describe('decodeBody on windows-1252, the fallback charset', () => {
  it('reads 0x80-0x9F as browsers do, whatever this Node release makes of it', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, index) => 0x80 + index);
    const decoded = decodeBody(bytes, 'text/xml; charset=windows-1252');
    expect([...decoded.text].map((char) => char.codePointAt(0))).toEqual(WINDOWS_1252_C1);
  });

  it('reads every other byte as its Latin-1 code point, as iconv-lite does', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index).filter(
      (byte) => byte < 0x80 || byte > 0x9f,
    );
    expect(decodeBody(bytes, 'text/xml; charset=ISO-8859-1').text).toBe(
      iconv.decode(Buffer.from(bytes), 'windows-1252'),
    );
  });
});

describe.runIf(sharedData('corpus') !== undefined)('decodeBody on the corpus', () => {
  it.each(reencodedCorpusSamples().map((sample) => [sample.name, sample] as const))(
    'decodes news re-encoded in %s',
    (_name, sample) => {
      const decoded = decodeBody(sample.bytes, sample.contentType);
      expect(decoded.warnings).toEqual([]);
      expect(decoded.text).toBe(sample.expected);
    },
  );

  it.each(declaredCorpusFeeds().map((sample) => [sample.name, sample] as const))(
    'decodes the real feed %s in the charset it declares',
    (_name, sample) => {
      expect(decodeBody(sample.bytes).text).toBe(sample.expected);
    },
  );
});

import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetOfContentType, decodeBody } from '#shared/feeds/decode-body.ts';

const xml = (encoding: string, text: string): string =>
  `<?xml version="1.0" encoding="${encoding}"?><t>${text}</t>`;

describe('decodeBody', () => {
  it('trusts a byte order mark over every label', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(xml('windows-1251', 'Überblick')),
    ]);

    const decoded = decodeBody(bytes, 'text/xml; charset=koi8-r');

    expect(decoded.source).toBe('bom');
    expect(decoded.text).toContain('Überblick');
    expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('prefers the HTTP charset over the XML declaration', () => {
    const decoded = decodeBody(
      iconv.encode(xml('utf-8', 'Привет'), 'koi8-r'),
      'application/xml; charset="KOI8-R"',
    );

    expect(decoded.text).toContain('Привет');
    expect(decoded.source).toBe('http');
  });

  it('uses the XML declaration when HTTP names no charset', () => {
    const decoded = decodeBody(iconv.encode(xml('GB2312', '新闻'), 'gbk'), 'application/xml');

    expect(decoded.text).toContain('新闻');
    expect(decoded.encoding).toBe('gbk');
  });

  it('reads UTF-8 bytes as UTF-8 when the server stamps its Latin-1 default on them', () => {
    const decoded = decodeBody(
      Buffer.from(xml('utf-8', 'Grüße — Привет')),
      'text/xml; charset=ISO-8859-1',
    );

    expect(decoded.text).toContain('Grüße — Привет');
    expect(decoded.warnings[0]).toMatch(/bytes are UTF-8/);
  });

  it('moves on to the XML declaration when a UTF-8 label is wrong', () => {
    const decoded = decodeBody(
      iconv.encode(xml('windows-1251', 'Новости дня'), 'windows-1251'),
      'text/xml; charset=utf-8',
    );

    expect(decoded.text).toContain('Новости дня');
    expect(decoded.source).toBe('xml-declaration');
  });

  it('reads ISO-8859-1 as windows-1252, as browsers do', () => {
    const decoded = decodeBody(iconv.encode(xml('ISO-8859-1', '“quoted”'), 'windows-1252'));

    expect(decoded.text).toContain('“quoted”');
  });

  it('sniffs UTF-16 without a byte order mark', () => {
    const decoded = decodeBody(Buffer.from('<rss>Grüße</rss>', 'utf16le'));

    expect(decoded.text).toBe('<rss>Grüße</rss>');
  });

  it('falls back to windows-1252 when undeclared bytes are not UTF-8', () => {
    const decoded = decodeBody(iconv.encode('<rss>café</rss>', 'windows-1252'));

    expect(decoded.text).toBe('<rss>café</rss>');
    expect(decoded.source).toBe('fallback');
  });

  it('ignores an unknown charset label with a warning', () => {
    const decoded = decodeBody(Buffer.from('<rss>plain</rss>'), 'text/xml; charset=x-made-up');

    expect(decoded.text).toBe('<rss>plain</rss>');
    expect(decoded.warnings[0]).toMatch(/x-made-up/);
  });

  it('keeps a UTF-8 document with one broken byte as UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from(xml('utf-8', 'Grüße aus Köln, schöne Grüße')),
      Buffer.from([0xff]),
    ]);

    expect(decodeBody(bytes).text).toContain('Grüße aus Köln');
  });
});

describe('charsetOfContentType', () => {
  it('reads a quoted or bare charset parameter', () => {
    expect(charsetOfContentType('text/xml; charset="utf-8"')).toBe('utf-8');
    expect(charsetOfContentType('text/xml;charset=windows-1251')).toBe('windows-1251');
    expect(charsetOfContentType('text/xml')).toBeUndefined();
  });
});

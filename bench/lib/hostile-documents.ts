/**
 * Feed documents shaped to make a parser build as much as it can from as few bytes as possible:
 * each fills `size` bytes with one pattern (empty elements, empty items, attributes, text nodes,
 * JSON empties...). Used by bench-parse-memory and the parse-budget integration test.
 */

const RSS_OPEN = '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>';
const RSS_CLOSE = '</channel></rss>';
const JSON_FEED_OPEN = '{"version":"https://jsonfeed.org/version/1.1","title":"Hostile","items":[';

/** `open` + `unit` repeated to fill `size` bytes + `close`. */
function fill(open: string, unit: string, close: string, size: number): Buffer {
  const count = Math.max(1, Math.floor((size - open.length - close.length) / unit.length));
  return Buffer.from(open + unit.repeat(count) + close, 'utf8');
}

/** `count` of `unit` joined by `separator`, to fill `size` bytes between `open` and `close`. */
function list(open: string, unit: string, separator: string, close: string, size: number): Buffer {
  const count = Math.max(
    1,
    Math.floor((size - open.length - close.length) / (unit.length + separator.length)),
  );
  return Buffer.from(open + Array(count).fill(unit).join(separator) + close, 'utf8');
}

/** A real-looking item, for the shape of a large but honest feed. */
function item(index: number): string {
  return `<item><title>Story ${index} about the markets and the weather</title><link>https://news.example.org/story/${index}</link><guid>https://news.example.org/story/${index}</guid><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate><description>${'Words of the story, plain and ordinary. '.repeat(20)}</description></item>`;
}

export interface HostileShape {
  name: string;
  what: string;
  make: (size: number) => Buffer;
}

export const HOSTILE_SHAPES: HostileShape[] = [
  {
    name: 'empty-elements',
    what: '<a/> repeated in the channel',
    make: (size) => fill(RSS_OPEN, '<a/>', RSS_CLOSE, size),
  },
  {
    name: 'empty-items',
    what: '<item></item> repeated',
    make: (size) => fill(RSS_OPEN, '<item></item>', RSS_CLOSE, size),
  },
  {
    name: 'empty-elements-in-items',
    what: 'items of 1,000 empty elements each',
    make: (size) => fill(RSS_OPEN, `<item>${'<b/>'.repeat(1000)}</item>`, RSS_CLOSE, size),
  },
  {
    name: 'deep-nesting',
    what: 'elements nested 120 deep (under the 128 limit), repeated',
    make: (size) => fill(RSS_OPEN, `${'<d>'.repeat(120)}${'</d>'.repeat(120)}`, RSS_CLOSE, size),
  },
  {
    name: 'deep-unclosed',
    what: 'open elements 120 deep, then empty elements at the bottom, never closed',
    make: (size) => fill(`${RSS_OPEN}${'<d>'.repeat(120)}`, '<e/>', '', size),
  },
  {
    name: 'many-attributes',
    what: 'one element with an attribute every 6 bytes',
    make: (size) => {
      const count = Math.floor((size - 200) / 12);
      const attrs = Array.from({ length: count }, (_, index) => `a${index.toString(36)}=""`);
      return Buffer.from(`${RSS_OPEN}<item ${attrs.join(' ')}/>${RSS_CLOSE}`, 'utf8');
    },
  },
  {
    name: 'huge-attribute',
    what: 'one attribute value of the whole size, entity-escaped',
    make: (size) => fill(`${RSS_OPEN}<item><link href="`, '&amp;', `"/></item>${RSS_CLOSE}`, size),
  },
  {
    name: 'tiny-text-nodes',
    what: 'a description of alternating one-character text and empty elements',
    make: (size) =>
      fill(
        `${RSS_OPEN}<item><title>T</title><description>`,
        'x<b/>',
        `</description></item>${RSS_CLOSE}`,
        size,
      ),
  },
  {
    name: 'entity-text',
    what: 'one title of numeric references',
    make: (size) => fill(`${RSS_OPEN}<item><title>`, '&#65;', `</title></item>${RSS_CLOSE}`, size),
  },
  {
    name: 'cdata-fragments',
    what: 'a description of many tiny CDATA sections',
    make: (size) =>
      fill(
        `${RSS_OPEN}<item><description>`,
        '<![CDATA[x]]>',
        `</description></item>${RSS_CLOSE}`,
        size,
      ),
  },
  {
    name: 'honest-items',
    what: 'real-looking items, about 1 KB each',
    make: (size) => {
      const parts: string[] = [RSS_OPEN];
      let length = RSS_OPEN.length + RSS_CLOSE.length;
      for (let index = 0; length < size - 2000; index++) {
        const next = item(index);
        parts.push(next);
        length += next.length;
      }
      parts.push(RSS_CLOSE);
      return Buffer.from(parts.join(''), 'utf8');
    },
  },
  {
    name: 'json-empty-objects',
    what: 'a JSON Feed whose items are {}',
    make: (size) => list(JSON_FEED_OPEN, '{}', ',', ']}', size),
  },
  {
    name: 'json-empty-arrays',
    what: 'a JSON Feed whose items are []',
    make: (size) => list(JSON_FEED_OPEN, '[]', ',', ']}', size),
  },
  {
    name: 'json-numbers',
    what: 'a JSON Feed whose items are small numbers',
    make: (size) => list(JSON_FEED_OPEN, '1', ',', ']}', size),
  },
  {
    name: 'json-array-of-numbers',
    what: 'a top-level JSON array of small numbers',
    make: (size) => list('[', '1', ',', ']', size),
  },
  {
    name: 'json-nested-arrays',
    what: 'arrays nested as deep as the bytes allow',
    make: (size) => {
      const depth = Math.floor((size - JSON_FEED_OPEN.length - 2) / 2);
      return Buffer.from(`${JSON_FEED_OPEN}${'['.repeat(depth)}${']'.repeat(depth)}]}`, 'utf8');
    },
  },
  {
    name: 'json-items-with-ids',
    what: 'a JSON Feed of items with a short id and url each',
    make: (size) => list(JSON_FEED_OPEN, '{"id":"1","url":"https://e.org/1"}', ',', ']}', size),
  },
  {
    name: 'json-many-keys',
    what: 'one JSON Feed item with a key every 8 bytes',
    make: (size) => {
      const count = Math.floor((size - 200) / 12);
      const keys = Array.from({ length: count }, (_, index) => `"${index.toString(36)}":0`);
      return Buffer.from(`${JSON_FEED_OPEN}{${keys.join(',')}}]}`, 'utf8');
    },
  },
  {
    name: 'json-long-strings',
    what: 'one JSON Feed item whose title is the whole size of escapes',
    make: (size) => fill(`${JSON_FEED_OPEN}{"title":"`, '\\u0041', '"}]}', size),
  },
];

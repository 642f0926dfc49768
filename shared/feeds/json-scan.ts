import { FeedError } from './feed-error.ts';

/** Arrays and objects nested deeper than this fail the document; real feeds nest a few levels. */
export const MAX_JSON_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Keys longer than this are no key a feed reader looks for: they are read over, not copied. */
const MAX_KEY_CHARS = 64;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Characters a number, `true`, `false` or `null` is made of. */
function isScalarChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2d ||
    code === 0x2b ||
    code === 0x2e ||
    code === 0x45
  );
}

/**
 * Walks JSON text without building it: finds where each value lies, so a reader can parse only
 * the few values it uses (a feed's title, its first items' fields) and count the rest. Memory
 * stays the size of what is parsed, whatever the document's shape. The structure (brackets,
 * commas, colons, strings) is checked everywhere; the values read over are not parsed, so a bad
 * escape or number in a part nobody reads goes unnoticed, as a lenient reader wants.
 */
export class JsonScan {
  private pos = 0;
  /** What the values being read over still have to close; one array for every value. */
  private readonly closers: number[] = [];

  constructor(private readonly text: string) {}

  /** The value the document holds, checked whole: where it starts, and its first character. */
  root(): { start: number; end: number; first: number } {
    this.space();
    const start = this.pos;
    const first = this.text.charCodeAt(start);
    this.skipValue();
    const end = this.pos;
    this.space();
    if (this.pos < this.text.length) this.fail('text after the document');
    return { start, end, first };
  }

  /**
   * Each member of the object at `start`: its key as written (undefined when too long to be one
   * a reader wants) and where its value lies. Keys are compared as written, without unescaping.
   */
  members(start: number, visit: (key: string | undefined, from: number, to: number) => void): void {
    this.each(start, OPEN_OBJECT, CLOSE_OBJECT, (_index, key, from, to) => visit(key, from, to));
  }

  /** Each element of the array at `start`, with its index and where it lies. */
  elements(start: number, visit: (index: number, from: number, to: number) => void): void {
    this.each(start, OPEN_ARRAY, CLOSE_ARRAY, (index, _key, from, to) => visit(index, from, to));
  }

  /** Each value of the object or array at `start`, with its key when it is an object's member. */
  private each(
    start: number,
    open: number,
    close: number,
    visit: (index: number, key: string | undefined, from: number, to: number) => void,
  ): void {
    this.pos = start;
    this.expect(open);
    this.space();
    if (this.peek() === close) {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.space();
      const key = open === OPEN_OBJECT ? this.key() : undefined;
      this.space();
      const from = this.pos;
      this.skipValue();
      const to = this.pos;
      visit(index, key, from, to);
      this.pos = to;
      this.space();
      const next = this.peek();
      this.pos++;
      if (next === close) return;
      if (next !== COMMA) this.fail(`expected , or ${String.fromCharCode(close)}`);
    }
  }

  /** Read over one value, nested ones included, without recursion and without building it. */
  private skipValue(): void {
    const closers = this.closers;
    closers.length = 0;
    for (;;) {
      this.space();
      const code = this.peek();
      if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
        if (closers.length >= MAX_JSON_DEPTH) {
          throw new FeedError('TOO_DEEP', `JSON values nest deeper than ${MAX_JSON_DEPTH} levels`);
        }
        this.pos++;
        this.space();
        const closer = code === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
        if (this.peek() === closer) {
          this.pos++;
        } else {
          closers.push(closer);
          if (closer === CLOSE_OBJECT) this.key(false);
          continue;
        }
      } else if (code === QUOTE) {
        this.pos = this.stringEnd(this.pos);
      } else {
        const from = this.pos;
        while (this.pos < this.text.length && isScalarChar(this.text.charCodeAt(this.pos)))
          this.pos++;
        if (this.pos === from) this.fail('expected a value');
      }
      // After a value: close what ends here, up to the next value.
      for (;;) {
        const closer = closers[closers.length - 1];
        if (closer === undefined) return;
        this.space();
        const next = this.peek();
        this.pos++;
        if (next === COMMA) {
          if (closer === CLOSE_OBJECT) this.key(false);
          break;
        }
        if (next !== closer) this.fail(`expected , or ${String.fromCharCode(closer)}`);
        closers.pop();
      }
    }
  }

  /** A member's key and its colon; the key as written, if wanted and short enough to be one. */
  private key(copy = true): string | undefined {
    this.space();
    if (this.peek() !== QUOTE) this.fail('expected a key');
    const from = this.pos + 1;
    this.pos = this.stringEnd(this.pos);
    const to = this.pos - 1;
    this.space();
    this.expect(COLON);
    return copy && to - from <= MAX_KEY_CHARS ? this.text.slice(from, to) : undefined;
  }

  /** The index after the string that opens at `at`. */
  private stringEnd(at: number): number {
    let from = at + 1;
    for (;;) {
      const quote = this.text.indexOf('"', from);
      if (quote === -1) {
        this.pos = this.text.length;
        this.fail('a string does not end');
      }
      let backslashes = 0;
      while (this.text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  private space(): void {
    while (isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  private expect(code: number): void {
    if (this.peek() !== code) this.fail(`expected ${String.fromCharCode(code)}`);
    this.pos++;
  }

  private fail(what: string): never {
    const at = Math.min(this.pos, this.text.length);
    throw new FeedError(
      'NOT_A_FEED',
      `the document looks like JSON but does not parse: ${what} at character ${at}`,
    );
  }
}

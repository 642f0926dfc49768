import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidCursorError } from './store-errors.ts';

/** Where a match listing stopped: the month bucket and the last sort key examined in it. */
export interface CursorPosition {
  /** Which index the query walks ('time', 'facet' or 'feed'). */
  index: string;
  /** Month bucket, `YYYY-MM`. */
  month: string;
  /** Sort key of the last item examined in that bucket; absent to start the bucket afresh. */
  after?: string;
}

/**
 * Most UTF-8 bytes of the match id in a cursor's position. The position goes back to DynamoDB as
 * part of the query's start key, whose sort keys may take 1024 bytes together: the id (real ones
 * are 32 hex digits) plus the instant, and a facet entry's own sort key, stay well inside that.
 */
export const MAX_CURSOR_ID_BYTES = 512;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const TIME_SORT_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#(.+)$/s;
/** A UTF-16 surrogate without its pair: no UTF-8 encoding exists, so no store could take it. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A time sort key as the store writes it: a canonical instant, `#`, and a bounded match id. */
function isTimeSortKey(value: string): boolean {
  const [, instant, id] = TIME_SORT_KEY.exec(value) ?? [];
  if (instant === undefined || id === undefined) return false;
  const time = Date.parse(instant);
  return (
    !Number.isNaN(time) &&
    new Date(time).toISOString() === instant &&
    !LONE_SURROGATE.test(id) &&
    Buffer.byteLength(id) <= MAX_CURSOR_ID_BYTES
  );
}

const CursorPayloadSchema = z.strictObject({
  v: z.literal(1),
  x: z.string().min(1).max(16),
  m: z.string().regex(MONTH),
  a: z.string().refine(isTimeSortKey).optional(),
  h: z.string().min(1).max(64),
});

const MAX_CURSOR_LENGTH = 4096;

/** Digest of everything that selects the items of a query, so a cursor only continues its own query. */
export function queryFingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/** Encodes cursors as base64url JSON, HMAC-signed when a secret is configured. */
export class CursorCodec {
  constructor(private readonly secret?: string) {}

  encode(position: CursorPosition, fingerprint: string): string {
    const payload = Buffer.from(
      JSON.stringify({
        v: 1,
        x: position.index,
        m: position.month,
        ...(position.after ? { a: position.after } : {}),
        h: fingerprint,
      }),
    ).toString('base64url');
    return this.secret ? `${payload}.${this.sign(payload)}` : payload;
  }

  /** The position in a cursor, after checking its signature and that it belongs to this query. */
  decode(cursor: string, fingerprint: string): CursorPosition {
    if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
      throw new InvalidCursorError('wrong length');
    }
    const [payload, signature, ...rest] = cursor.split('.');
    if (!payload || rest.length > 0) throw new InvalidCursorError('malformed');
    if (this.secret) {
      if (!signature || !this.verify(payload, signature)) {
        throw new InvalidCursorError('signature does not match');
      }
    } else if (signature !== undefined) {
      throw new InvalidCursorError('signed by a secret this store does not have');
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError('not base64url JSON');
    }
    const parsed = CursorPayloadSchema.safeParse(json);
    if (!parsed.success) throw new InvalidCursorError('unexpected content');
    if (parsed.data.h !== fingerprint) {
      throw new InvalidCursorError('it belongs to a query with other filters');
    }
    return {
      index: parsed.data.x,
      month: parsed.data.m,
      ...(parsed.data.a ? { after: parsed.data.a } : {}),
    };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret ?? '')
      .update(payload)
      .digest('base64url');
  }

  private verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

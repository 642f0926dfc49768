/**
 * DynamoDB kept throttling (or kept leaving batch requests unprocessed) after every retry; the
 * caller should retry later, e.g. by letting SQS redeliver the message.
 */
export class StoreThrottledError extends Error {
  override readonly name = 'StoreThrottledError';
  constructor(
    readonly operation: string,
    readonly attempts: number,
    detail = 'was throttled',
    cause?: unknown,
  ) {
    super(`DynamoDB ${operation} ${detail} on each of ${attempts} attempts`, { cause });
  }
}

/** A pagination cursor that is malformed, tampered with, or belongs to another query (HTTP 400). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  readonly parameter = 'cursor';
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
  }
}

/** A match query the store cannot run, e.g. an unparseable date; names the parameter at fault. */
export class InvalidMatchQueryError extends Error {
  override readonly name = 'InvalidMatchQueryError';
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(`invalid ${parameter}: ${reason}`);
  }
}

/** An existing table whose keys or indexes differ from TABLE_DESIGN (e.g. made by an older version). */
export class TableDesignMismatchError extends Error {
  override readonly name = 'TableDesignMismatchError';
  constructor(tableName: string, problem: string) {
    super(`table ${tableName} does not match the table design: ${problem}`);
  }
}

import type { AlertMessage, DigestMessage } from './alert-message.ts';

/** Where alerts go: SNS when deployed, the terminal and a JSONL file locally. */
export interface AlertPublisher {
  publish(alert: AlertMessage): Promise<{ messageId?: string }>;
  publishDigest(digest: DigestMessage): Promise<{ messageId?: string }>;
}

/**
 * A publish that did not go out, or may have: `transient` says whether trying again later may
 * succeed; `maybeDelivered` that the request may have reached SNS and been delivered (a client
 * timeout or a connection lost while waiting for the answer).
 */
export class AlertPublishError extends Error {
  override readonly name = 'AlertPublishError';
  readonly maybeDelivered: boolean;
  constructor(
    message: string,
    readonly transient: boolean,
    options: { cause?: unknown; maybeDelivered?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.maybeDelivered = options.maybeDelivered ?? false;
  }
}

/** Whether a failed publish may still have been delivered; only an AlertPublishError says so. */
export function mayHaveBeenDelivered(error: unknown): boolean {
  return error instanceof AlertPublishError && error.maybeDelivered;
}

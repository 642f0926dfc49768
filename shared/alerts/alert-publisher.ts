import type { AlertMessage, DigestMessage } from './alert-message.ts';

/** Where alerts go: SNS when deployed, the terminal and a JSONL file locally. */
export interface AlertPublisher {
  publish(alert: AlertMessage): Promise<{ messageId?: string }>;
  publishDigest(digest: DigestMessage): Promise<{ messageId?: string }>;
}

/** A publish that did not go out; `transient` says whether trying again later may succeed. */
export class AlertPublishError extends Error {
  override readonly name = 'AlertPublishError';
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

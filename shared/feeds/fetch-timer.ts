import type { ClientRequest } from 'node:http';
import { FeedError } from './feed-error.ts';

/**
 * The time limits of one fetch: each hop's connection must open within the connect limit, and
 * the whole fetch, redirects included, must end by the deadline. When a limit passes it records
 * the error and hands it to the current hop's cancel function.
 */
export class FetchTimer {
  /** Why the fetch was cut short, once it was. */
  expired: FeedError | undefined;
  private readonly deadline: NodeJS.Timeout;
  private connectLimit: NodeJS.Timeout | undefined;
  private cancel: ((error: FeedError) => void) | undefined;

  constructor(
    timeoutMs: number,
    private readonly connectTimeoutMs: number,
  ) {
    this.deadline = setTimeout(() => {
      this.expire(new FeedError('TIMEOUT', `no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
  }

  /** A hop's request was sent: its connection must open within the connect limit. */
  startHop(request: ClientRequest, host: string): void {
    this.cancel = (error) => request.destroy(error);
    clearTimeout(this.connectLimit);
    this.connectLimit = setTimeout(() => {
      const socket = request.socket;
      if (socket && !socket.connecting) return;
      this.expire(
        new FeedError('TIMEOUT', `could not connect to ${host} within ${this.connectTimeoutMs} ms`),
      );
    }, this.connectTimeoutMs);
  }

  /** The hop answered; from now on only the deadline applies, and `cancel` stops the reading. */
  responded(cancel: (error: FeedError) => void): void {
    clearTimeout(this.connectLimit);
    this.cancel = cancel;
  }

  /** Release the timers; call once the fetch has settled either way. */
  stop(): void {
    clearTimeout(this.deadline);
    clearTimeout(this.connectLimit);
    this.cancel = undefined;
  }

  private expire(error: FeedError): void {
    if (this.expired) return;
    this.expired = error;
    this.cancel?.(error);
  }
}

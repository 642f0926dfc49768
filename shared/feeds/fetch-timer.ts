import type { ClientRequest } from 'node:http';
import { FeedError } from './feed-error.ts';

/**
 * The one timer of a fetch. It enforces each hop's connect limit and the whole-fetch deadline,
 * re-arming itself instead of keeping a timer, an AbortController and socket listeners per hop.
 * When a limit passes it records the error and hands it to the current hop's cancel function.
 */
export class FetchTimer {
  /** Why the fetch was cut short, once it was. */
  expired: FeedError | undefined;
  private readonly endsAt: number;
  private timer: NodeJS.Timeout | undefined;
  private firesAt = Number.POSITIVE_INFINITY;
  private pending: ClientRequest | undefined;
  private pendingHost = '';
  private connectBy = Number.POSITIVE_INFINITY;
  private cancel: ((error: FeedError) => void) | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly connectTimeoutMs: number,
  ) {
    this.endsAt = Date.now() + timeoutMs;
  }

  /** A hop's request was sent: its connection must open within the connect limit. */
  startHop(request: ClientRequest, host: string): void {
    this.pending = request;
    this.pendingHost = host;
    this.cancel = (error) => request.destroy(error);
    this.connectBy = Date.now() + this.connectTimeoutMs;
    this.arm(Math.min(this.connectBy, this.endsAt));
  }

  /** The hop answered; from now on only the deadline applies, and `cancel` stops the reading. */
  responded(cancel: (error: FeedError) => void): void {
    this.pending = undefined;
    this.cancel = cancel;
  }

  /** Release the timer; call once the fetch has settled either way. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cancel = undefined;
  }

  private arm(at: number): void {
    if (this.timer !== undefined && this.firesAt <= at) return;
    clearTimeout(this.timer);
    this.firesAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    const now = Date.now();
    if (now >= this.endsAt) {
      this.expire(new FeedError('TIMEOUT', `no complete response within ${this.timeoutMs} ms`));
      return;
    }
    const socket = this.pending?.socket;
    const connecting = this.pending !== undefined && (!socket || socket.connecting);
    if (connecting && now >= this.connectBy) {
      this.expire(
        new FeedError(
          'TIMEOUT',
          `could not connect to ${this.pendingHost} within ${this.connectTimeoutMs} ms`,
        ),
      );
      return;
    }
    this.arm(connecting ? Math.min(this.connectBy, this.endsAt) : this.endsAt);
  }

  private expire(error: FeedError): void {
    this.expired = error;
    this.cancel?.(error);
  }
}

/** A message taken from a queue: it stays there, hidden for a while, until removed. */
export interface QueuedMessage {
  id: string;
  body: string;
  /** What removing this delivery of the message takes. */
  receipt: string;
}

/** The alert pipeline's failure queue, as the re-drive uses it. */
export interface FailureQueue {
  /** Up to `max` messages, each hidden from other readers for `hideSeconds`. */
  receive(max: number, hideSeconds: number): Promise<QueuedMessage[]>;
  remove(message: QueuedMessage): Promise<void>;
}

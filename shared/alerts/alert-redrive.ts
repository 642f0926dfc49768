import type { Match } from '#shared/store/match-schema.ts';
import type { MatchStore } from '#shared/store/store-ports.ts';
import { type FailureRecord, readFailureRecord } from './alert-failure-record.ts';
import type { AlertService, SweepBudget } from './alert-service.ts';
import type { FailureQueue, QueuedMessage } from './failure-queue.ts';

export interface RedriveSettings {
  /** Look only, send and remove nothing. */
  dryRun: boolean;
  /**
   * How long before its batch's first record reached the stream a match may have been stored: a
   * match's `storedAt` is taken just before its write, and write retries and clocks differ.
   * @default 5 minutes
   */
  marginBeforeMs?: number;
  /** How long after the last record's arrival the window reaches. @default 1 minute */
  marginAfterMs?: number;
  /**
   * Seconds each message stays hidden from other readers while this run holds it.
   * @default 300, or 30 with dryRun (the messages are back soon after a look)
   */
  hideSeconds?: number;
}

export interface RedriveDeps {
  queue: FailureQueue;
  matches: Pick<MatchStore, 'listMatches'>;
  alerts: AlertService;
  /** Called with each message's outcome as it is settled. */
  report?: (entry: RedriveEntry) => void;
}

export type RedriveOutcome = 're-driven' | 'would re-drive' | 'failed' | 'left';

export interface RedriveEntry {
  messageId: string;
  record: FailureRecord;
  outcome: RedriveOutcome;
  /** Stream batches: the window searched and the alert-worthy matches not yet alerted in it. */
  window?: { since: string; until: string };
  matches?: number;
  sent?: number;
  digested?: number;
  duplicates?: number;
  /** Digest records: the stories the run's one digest flush carried. */
  digestStories?: number;
  error?: string;
}

export interface RedriveSummary {
  messages: number;
  reDriven: number;
  wouldReDrive: number;
  failed: number;
  /** Records that are not the alert function's (e.g. e-mails SNS could not deliver). */
  left: number;
  sent: number;
  digested: number;
  duplicates: number;
  digestStories: number;
}

const PAGE = 100;
const MINUTE_MS = 60_000;

/**
 * Re-drives what the alert pipeline's failure queue points at, through the alert use case:
 * - a stream batch's pointer: the records are gone with the stream after 24 hours, but their
 *   matches are in the table; the alert-worthy matches stored in the batch's arrival window and
 *   not yet alerted go through `handleNewMatches` (the alert ledger sends each story once, so
 *   re-driving twice, or a window wider than the batch, sends nothing twice);
 * - a failed digest run or an undelivered digest tick: one digest flush for the whole run.
 * A message is removed only once what it points at went through without a failure; a record of
 * any other kind stays in the queue. One message that fails does not stop the others.
 */
export async function redriveAlerts(
  deps: RedriveDeps,
  settings: RedriveSettings,
): Promise<RedriveSummary> {
  const before = settings.marginBeforeMs ?? 5 * MINUTE_MS;
  const after = settings.marginAfterMs ?? MINUTE_MS;
  const hideSeconds = settings.hideSeconds ?? (settings.dryRun ? 30 : 300);
  // One budget for the whole run, as for one sweep: maxPerSweep holds, the rest go to the digest.
  const budget: SweepBudget = { sent: 0 };
  let digestFlush: Promise<number> | undefined;
  const summary: RedriveSummary = {
    messages: 0,
    reDriven: 0,
    wouldReDrive: 0,
    failed: 0,
    left: 0,
    sent: 0,
    digested: 0,
    duplicates: 0,
    digestStories: 0,
  };

  async function alertWorthyIn(since: string, until: string): Promise<Match[]> {
    const found: Match[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.matches.listMatches({ since, until, limit: PAGE, cursor });
      found.push(...page.items.filter((match) => match.alert && !match.alerted));
      cursor = page.nextCursor;
    } while (cursor);
    // The alert use case leads each story with its earliest match, as the stream did.
    return found.reverse();
  }

  async function handle(message: QueuedMessage, record: FailureRecord): Promise<RedriveEntry> {
    const entry: RedriveEntry = { messageId: message.id, record, outcome: 'left' };
    if (record.kind === 'other') return entry;
    if (record.kind === 'digest') {
      if (settings.dryRun) return { ...entry, outcome: 'would re-drive' };
      digestFlush ??= deps.alerts.flushDigest();
      summary.digestStories = await digestFlush;
      await deps.queue.remove(message);
      return { ...entry, outcome: 're-driven', digestStories: summary.digestStories };
    }
    const window = {
      since: new Date(Date.parse(record.firstArrival) - before).toISOString(),
      until: new Date(Date.parse(record.lastArrival) + after).toISOString(),
    };
    const matches = await alertWorthyIn(window.since, window.until);
    if (settings.dryRun) {
      return { ...entry, outcome: 'would re-drive', window, matches: matches.length };
    }
    const result = await deps.alerts.handleNewMatches(matches, { sweepBudget: budget });
    const counts = {
      window,
      matches: matches.length,
      sent: result.sent,
      digested: result.digested,
      duplicates: result.duplicates,
    };
    summary.sent += result.sent;
    summary.digested += result.digested;
    summary.duplicates += result.duplicates;
    if (result.failedMatchIds.length > 0) {
      const errors = result.results.filter((item) => item.outcome === 'failed');
      return {
        ...entry,
        ...counts,
        outcome: 'failed',
        error: errors.map((item) => `${item.matchId}: ${item.error}`).join('; '),
      };
    }
    await deps.queue.remove(message);
    return { ...entry, ...counts, outcome: 're-driven' };
  }

  const seen = new Set<string>();
  for (;;) {
    const batch = (await deps.queue.receive(10, hideSeconds)).filter((m) => !seen.has(m.id));
    // Empty, or only messages this run already handled coming back: the queue is done.
    if (batch.length === 0) break;
    for (const message of batch) {
      seen.add(message.id);
      const record = readFailureRecord(message.body);
      let entry: RedriveEntry;
      try {
        entry = await handle(message, record);
      } catch (error) {
        entry = { messageId: message.id, record, outcome: 'failed', error: String(error) };
      }
      summary.messages++;
      if (entry.outcome === 're-driven') summary.reDriven++;
      else if (entry.outcome === 'would re-drive') summary.wouldReDrive++;
      else if (entry.outcome === 'failed') summary.failed++;
      else summary.left++;
      deps.report?.(entry);
    }
  }
  return summary;
}

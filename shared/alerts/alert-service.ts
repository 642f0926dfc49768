import type { Match, StoryMember } from '#shared/store/match-schema.ts';
import type {
  AlertChannel,
  AlertLedger,
  DigestEntry,
  DigestQueue,
  MatchStore,
  StoryIndex,
} from '#shared/store/store-ports.ts';
import { buildAlertMessage, buildDigestMessages, type DigestStory } from './alert-message.ts';
import { type AlertPublisher, mayHaveBeenDelivered } from './alert-publisher.ts';

export type AlertMode = 'instant' | 'hourly' | 'daily';

export interface AlertSettings {
  /** Instant alerts per call of handleNewMatches (one stream batch, or one sweep with a budget). */
  maxPerSweep: number;
  /** Instant alerts per rolling hour, counted in the alert ledger. */
  maxPerHour: number;
  /** 'instant' alerts at once within the caps; 'hourly'/'daily' send everything to the digest. */
  mode: AlertMode;
  /** How long a claim on a story holds before another attempt may retake it. @default 60 */
  leaseSeconds?: number;
  /** Most stories in one digest message; more, or more than SNS takes, go out as further messages. @default 50 */
  digestStoriesPerMessage?: number;
}

export type AlertStore = Pick<MatchStore, 'getMatch' | 'markAlerted'> &
  Pick<StoryIndex, 'storyMembers'> &
  AlertLedger &
  DigestQueue;

export interface AlertServiceDeps {
  store: AlertStore;
  publisher: AlertPublisher;
  settings: AlertSettings;
  now?: () => Date;
  /** Waits between looks at a story another attempt is alerting; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

export type AlertOutcome = 'sent' | 'duplicate-story' | 'digested' | 'failed' | 'not-alert-worthy';

export interface MatchAlertResult {
  matchId: string;
  storyId: string;
  outcome: AlertOutcome;
  messageId?: string;
  error?: string;
}

export interface AlertBatchResult {
  results: MatchAlertResult[];
  sent: number;
  digested: number;
  duplicates: number;
  /** Matches to deliver again (stream batchItemFailures): nothing was sent or queued for them. */
  failedMatchIds: string[];
}

/** Shared by several handleNewMatches calls so maxPerSweep spans one whole local sweep. */
export interface SweepBudget {
  sent: number;
}

export interface HandleOptions {
  sweepBudget?: SweepBudget;
  /** Stop waiting on stories other attempts hold at this time (epoch ms), e.g. before a timeout. */
  deadline?: number;
}

export interface AlertService {
  handleNewMatches(matches: Match[], options?: HandleOptions): Promise<AlertBatchResult>;
  /** Sends what the caps and digest mode held back; returns how many stories it carried. */
  flushDigest(options?: FlushOptions): Promise<number>;
}

export interface FlushOptions {
  /** Start no batch and no publish at or after this time (epoch ms, the service's clock). */
  deadline?: number;
}

const HOUR_MS = 3_600_000;
/** Queue entries read, claimed and sent per round of a flush. */
const DIGEST_BATCH = 100;
const MARK_ATTEMPTS = 3;
const CLAIM_POLL_MS = 1000;

/**
 * The alert use case, shared by the alert Lambda and the local runner.
 * 1. Keep alert-worthy matches; one per story in the batch (the earliest stored), the rest are
 *    duplicates that the story's alert lists as "also reported by".
 * 2. Claim the story in the alert ledger: a story already alerted is a duplicate; one another
 *    attempt is alerting is waited for until its lease ends or the deadline comes.
 * 3. Within the caps (and in instant mode) publish, then record the alert; past the caps, or in
 *    digest mode, queue the story for the digest and give the claim back.
 * 4. A failed publish reports the match failed, so the caller retries it. It gives the claim back,
 *    unless the publish got no answer and SNS may have the message: the claim then holds
 *    retries off until its lease ends.
 */
export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { store, publisher, settings } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  const log = deps.log ?? (() => {});
  const leaseSeconds = settings.leaseSeconds ?? 60;
  const perMessage = settings.digestStoriesPerMessage ?? 50;

  async function claim(
    storyId: string,
    matchId: string,
    deadline: number | undefined,
  ): Promise<'claimed' | 'already-sent' | 'in-flight'> {
    const budgetMs = Math.min(
      leaseSeconds * 1000,
      (deadline ?? Number.POSITIVE_INFINITY) - Date.now(),
    );
    let waits = Math.max(0, Math.ceil(budgetMs / CLAIM_POLL_MS));
    for (;;) {
      const claimResult = await store.claimAlert(storyId, matchId, leaseSeconds);
      if (claimResult !== 'in-flight' || waits <= 0) return claimResult;
      // Another attempt (or a timed-out earlier one) holds the story: it either sends soon or its
      // lease runs out and this attempt takes over. Waiting here beats burning stream retries.
      waits--;
      await sleep(CLAIM_POLL_MS);
    }
  }

  async function recordSent(
    match: Match,
    sentAt: string,
    messageId: string | undefined,
    channel: AlertChannel,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await store.markAlertSent(match.storyId, match.id, sentAt, messageId, channel);
        break;
      } catch (error) {
        // The alert is out: keep the lease (no retry may resend) and say so loudly.
        if (attempt >= MARK_ATTEMPTS) {
          log('alert-ledger-write-failed', { storyId: match.storyId, error: String(error) });
          return;
        }
        await sleep(200 * attempt);
      }
    }
    try {
      await store.markAlerted(match.id, sentAt);
    } catch (error) {
      log('match-mark-alerted-failed', { matchId: match.id, error: String(error) });
    }
  }

  async function digest(match: Match, reason: string): Promise<MatchAlertResult> {
    const entry: DigestEntry = {
      storyId: match.storyId,
      matchId: match.id,
      queuedAt: now().toISOString(),
    };
    try {
      await store.enqueueDigest(entry);
    } catch (error) {
      await store.releaseAlert(match.storyId).catch(() => {});
      return failed(match, `digest queue: ${String(error)}`);
    }
    await store.releaseAlert(match.storyId);
    log('alert-digested', { matchId: match.id, storyId: match.storyId, reason });
    return outcome(match, 'digested');
  }

  async function send(match: Match): Promise<MatchAlertResult> {
    const alertedAt = now().toISOString();
    let messageId: string | undefined;
    try {
      const message = buildAlertMessage(match, {
        alertedAt,
        storyMembers: await store.storyMembers(match.storyId),
      });
      ({ messageId } = await publisher.publish(message));
    } catch (error) {
      // When SNS may have the message, keeping the lease holds retries off until it ends rather
      // than sending a likely duplicate at once.
      if (mayHaveBeenDelivered(error)) {
        log('alert-publish-unanswered', { matchId: match.id, storyId: match.storyId });
      } else {
        await store.releaseAlert(match.storyId);
      }
      return failed(match, `publish: ${(error as Error).message}`);
    }
    await recordSent(match, alertedAt, messageId, 'instant');
    log('alert-sent', { matchId: match.id, storyId: match.storyId, messageId });
    return outcome(match, 'sent', { messageId });
  }

  /**
   * One batch of queue entries: claim each story, send the claimed ones in as many messages as
   * they need, and remove an entry only once its story is sent or settled. A failed publish
   * leaves its stories and every later one queued (claims given back, unless SNS may have the
   * message) and rethrows.
   */
  async function flushBatch(batch: DigestEntry[], deadline: number): Promise<number> {
    const byStory = new Map<string, DigestEntry[]>();
    for (const entry of batch) {
      const entries = byStory.get(entry.storyId);
      if (entries) entries.push(entry);
      else byStory.set(entry.storyId, [entry]);
    }
    // Claimed stories not yet sent, by story id.
    const ready = new Map<string, ReadyStory>();
    const claimed = new Set<string>();
    try {
      for (const [storyId, entries] of byStory) {
        const first = entries[0] as DigestEntry;
        const match = await store.getMatch(first.matchId);
        if (!match) {
          await store.removeDigest(entries);
          continue;
        }
        const claim = await store.claimAlert(storyId, first.matchId, leaseSeconds);
        if (claim === 'already-sent') await store.removeDigest(entries);
        // 'in-flight': another flush or alert holds the story; its entries stay for later.
        if (claim !== 'claimed') continue;
        claimed.add(storyId);
        const story = digestStory(match, await store.storyMembers(storyId));
        ready.set(storyId, { storyId, match, story, entries });
      }
    } catch (error) {
      await releaseAll(claimed);
      throw error;
    }

    const digestedAt = now().toISOString();
    const messages = buildDigestMessages(
      [...ready.values()].map((item) => item.story),
      { digestedAt, maxStories: perMessage },
    );
    let carried = 0;
    for (const message of messages) {
      if (now().getTime() >= deadline) break;
      const inMessage = new Set(message.payload.stories.map((story) => story.matchId));
      const sent = [...ready.values()].filter((item) => inMessage.has(item.match.id));
      let messageId: string | undefined;
      try {
        ({ messageId } = await publisher.publishDigest(message));
      } catch (error) {
        // SNS may have this message: its stories keep their leases (no resend until they end).
        const held = mayHaveBeenDelivered(error) ? sent : [];
        if (held.length > 0) {
          log('digest-publish-unanswered', { stories: held.map((item) => item.storyId) });
        }
        for (const item of held) ready.delete(item.storyId);
        await releaseAll(ready.keys());
        throw error;
      }
      for (const item of sent) {
        ready.delete(item.storyId);
        await recordSent(item.match, digestedAt, messageId, 'digest');
      }
      // An entry left behind here is harmless: its story is recorded sent, so the next flush
      // finds it 'already-sent' and removes it.
      await store
        .removeDigest(sent.flatMap((item) => item.entries))
        .catch((error: unknown) => log('digest-remove-failed', { error: String(error) }));
      carried += sent.length;
    }
    // Past the deadline: what was claimed but not sent goes back for the next flush.
    await releaseAll(ready.keys());
    return carried;
  }

  async function releaseAll(storyIds: Iterable<string>): Promise<void> {
    for (const storyId of [...storyIds]) {
      await store.releaseAlert(storyId).catch((error: unknown) => {
        log('alert-release-failed', { storyId, error: String(error) });
      });
    }
  }

  return {
    async handleNewMatches(matches, options = {}) {
      const budget = options.sweepBudget ?? { sent: 0 };
      const results = new Map<string, MatchAlertResult>();
      const leaders = new Map<string, Match>();
      for (const match of matches) {
        if (!match.alert) {
          results.set(match.id, outcome(match, 'not-alert-worthy'));
          continue;
        }
        const leader = leaders.get(match.storyId);
        if (!leader || match.storedAt < leader.storedAt) leaders.set(match.storyId, match);
      }

      let sentThisHour: number | undefined;
      for (const match of leaders.values()) {
        let result: MatchAlertResult;
        let holding = false;
        try {
          const claimed = await claim(match.storyId, match.id, options.deadline);
          holding = claimed === 'claimed';
          if (claimed === 'already-sent') {
            result = outcome(match, 'duplicate-story');
          } else if (claimed === 'in-flight') {
            result = failed(match, 'another attempt is still alerting this story');
          } else if (settings.mode !== 'instant') {
            result = await digest(match, `${settings.mode} mode`);
          } else {
            sentThisHour ??= await store.countAlertsSince(
              new Date(now().getTime() - HOUR_MS).toISOString(),
            );
            if (budget.sent >= settings.maxPerSweep) {
              result = await digest(match, 'maxPerSweep reached');
            } else if (sentThisHour >= settings.maxPerHour) {
              result = await digest(match, 'maxPerHour reached');
            } else {
              // Reserve before the await, so sweeps alerting in parallel share the budget.
              budget.sent++;
              sentThisHour++;
              result = await send(match).catch((error: unknown) => failed(match, String(error)));
              if (result.outcome !== 'sent') {
                budget.sent--;
                sentThisHour--;
              }
            }
          }
        } catch (error) {
          // Nothing was published (send never throws once it has): give the story back.
          if (holding) await store.releaseAlert(match.storyId).catch(() => {});
          result = failed(match, (error as Error).message);
        }
        results.set(match.id, result);
      }

      for (const match of matches) {
        if (results.has(match.id)) continue;
        // A later copy in the same batch: its story's leader carries it (and retries for it).
        results.set(match.id, outcome(match, 'duplicate-story'));
      }
      const ordered = matches.map((match) => results.get(match.id) as MatchAlertResult);
      return summarize(ordered);
    },

    async flushDigest(options = {}) {
      const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
      let carried = 0;
      let after: DigestEntry | undefined;
      while (now().getTime() < deadline) {
        const batch = await store.readDigest(DIGEST_BATCH, after);
        after = batch.at(-1);
        carried += await flushBatch(batch, deadline);
        if (batch.length < DIGEST_BATCH) break;
      }
      log('digest-sent', { stories: carried });
      return carried;
    },
  };
}

interface ReadyStory {
  storyId: string;
  match: Match;
  story: DigestStory;
  entries: DigestEntry[];
}

function digestStory(match: Match, members: StoryMember[]): DigestStory {
  const { payload } = buildAlertMessage(match, { alertedAt: '', storyMembers: members });
  const { kind: _kind, version: _version, alertedAt: _at, explanation: _why, ...story } = payload;
  return story;
}

function outcome(
  match: Match,
  kind: AlertOutcome,
  detail: Pick<MatchAlertResult, 'messageId' | 'error'> = {},
): MatchAlertResult {
  return { matchId: match.id, storyId: match.storyId, outcome: kind, ...detail };
}

function failed(match: Match, error: string): MatchAlertResult {
  return outcome(match, 'failed', { error });
}

function summarize(results: MatchAlertResult[]): AlertBatchResult {
  return {
    results,
    sent: results.filter((result) => result.outcome === 'sent').length,
    digested: results.filter((result) => result.outcome === 'digested').length,
    duplicates: results.filter((result) => result.outcome === 'duplicate-story').length,
    failedMatchIds: results.filter((result) => result.outcome === 'failed').map((r) => r.matchId),
  };
}

import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import type { FeedIngestResult } from '#shared/sweep/ingest-feed.ts';
import type { SweepSummary } from '#shared/sweep/run-sweep.ts';
import { terminalJson } from './terminal-output.ts';

/** A per-feed progress line for people watching a terminal; server-sent text made harmless. */
export function progressLine(
  result: FeedIngestResult,
  feed: FeedSpec,
  done: number,
  total: number,
): string {
  return terminalText(progressText(result, feed, done, total));
}

function progressText(
  result: FeedIngestResult,
  feed: FeedSpec,
  done: number,
  total: number,
): string {
  const name = feed.name ?? feed.url;
  const counter = `[${String(done).padStart(String(total).length)}/${total}]`;
  switch (result.outcome) {
    case 'failed':
      return `${counter} ✗ ${name}: ${result.error?.code ?? 'ERROR'} ${result.error?.message ?? ''}`.trimEnd();
    case 'not-modified':
      return `${counter} = ${name}: unchanged`;
    case 'skipped':
      return `${counter} - ${name}: skipped (disabled or backing off)`;
    default: {
      const matches = result.matches.length;
      return `${counter} ✓ ${name}: ${result.items} items, ${result.newItems} new, ${matches} ${matches === 1 ? 'match' : 'matches'}`;
    }
  }
}

/** The sweep summary for people; `--json` prints the object itself. */
export function summaryText(summary: SweepSummary): string {
  const lines = [
    `Sweep done in ${(summary.durationMs / 1000).toFixed(1)} s: ${summary.feeds} feeds, ${summary.fetched} fetched, ${summary.notModified} unchanged, ${summary.skipped} skipped, ${summary.failed.length} failed.`,
    `Items: ${summary.items} in feeds, ${summary.newItems} new; ${summary.matches} new matches, ${summary.alerts} alerts.`,
  ];
  const unreachable = summary.failed.filter((failure) => failure.error.startsWith('NETWORK'));
  if (summary.feeds > 0 && unreachable.length === summary.feeds) {
    lines.push('No feed could be reached: is the network down? The next sweep tries again.');
  }
  return lines.join('\n');
}

/** The contract's JSON summary: its keys, in its order. */
export function summaryJson(summary: SweepSummary): string {
  const { feeds, fetched, notModified, failed, items, newItems, matches, alerts } = summary;
  return terminalJson({
    feeds,
    fetched,
    notModified,
    failed,
    items,
    newItems,
    matches,
    alerts,
    skipped: summary.skipped,
    durationMs: summary.durationMs,
  });
}

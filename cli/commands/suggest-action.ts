import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '#shared/config/load-config.ts';
import type { LabeledItem } from '#shared/eval/labeled-item.ts';
import { type SuggestionReport, suggestOverlayEdits } from '#shared/feedback/suggest-overlay.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { ProfileError, profileVariants, readOverlay } from '#shared/profile/load-profile.ts';
import type { BacktestChange, BacktestReport } from '#shared/profile/profile-backtest.ts';
import { type CommonOptions, configOverrides } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import type { RemoteOptions } from '../remote-api.ts';
import { terminalJson } from '../terminal-output.ts';
import { loadGradedItems, readLabels } from './graded-items.ts';
import { loadProfileForCli } from './profile-command.ts';

export interface SuggestOptions {
  out?: string;
  json?: boolean;
  labels?: string;
}

/** Where the proposed overlay goes unless `--out` names a file. */
export const DEFAULT_PROPOSAL_FILE = 'profile.proposed.json';

export function withSuggestOptions(command: Command): Command {
  return command.option(
    '--out <file>',
    `with suggest: where to write the proposed overlay (default: ${DEFAULT_PROPOSAL_FILE})`,
  );
}

/**
 * `newswatch feedback suggest`: proposes overlay edits from the graded items (local store or
 * `--remote`), each with its backtest, and writes the helpful ones together as an overlay file
 * for `profile diff` and `profile apply`. The seeds and overlay are the local ones: they are
 * what a user edits and deploys.
 */
export async function runSuggest(
  extra: string[],
  options: SuggestOptions & CommonOptions & RemoteOptions,
): Promise<void> {
  if (extra.length > 0) {
    throw new CliError(`feedback suggest takes no arguments, got "${extra[0]}"`, ExitCode.Usage);
  }
  const items = options.labels ? readLabels(options.labels) : await loadGradedItems(options);
  const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
  const profile = await loadProfileForCli(options);
  let report: SuggestionReport;
  try {
    const [variant, overlay] = await Promise.all([
      profileVariants(config.seedsDir, { thresholds: config.thresholds }),
      readOverlay(config.seedsDir),
    ]);
    report = suggestOverlayEdits(
      { profile, overlay, variant },
      items,
      options.labels ? 'labels' : 'feedback',
    );
  } catch (error) {
    if (error instanceof ProfileError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
  const out = options.out ?? DEFAULT_PROPOSAL_FILE;
  if (report.combined) {
    writeFileSync(out, `${JSON.stringify(report.combined.overlay, null, 2)}\n`);
  }
  process.stdout.write(
    options.json
      ? `${terminalJson({ ...report, proposalFile: report.combined ? out : undefined })}\n`
      : terminalText(renderSuggestions(report, items, report.combined ? out : undefined)),
  );
}

function renderSuggestions(
  report: SuggestionReport,
  items: readonly LabeledItem[],
  out: string | undefined,
): string {
  const lines = [`${items.length} graded items`];
  if (report.suggestions.length === 0) {
    lines.push(
      items.length === 0
        ? 'nothing graded yet: grade matches with `newswatch feedback <match-id> <0|1|2>`'
        : 'no single change fixes more of your graded items than it breaks; nothing proposed',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    'proposed changes, each backtested on every graded item (none is applied):',
    '(words come from your own graded items, and the backtest runs on those same items: expect',
    'less on items you have not graded)',
  );
  report.suggestions.forEach((suggestion, index) => {
    lines.push(
      '',
      `${index + 1}. ${suggestion.description}`,
      ...describeBacktest(suggestion.backtest),
    );
  });
  if (report.combined && out) {
    lines.push(
      '',
      `together (${report.combined.taken.length} of them): ${report.combined.taken.join('; ')}`,
      ...describeBacktest(report.combined.backtest),
      `written to ${out}: review it, then \`newswatch profile diff --overlay ${out}\``,
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeBacktest(result: BacktestReport): string[] {
  const titles = (list: readonly BacktestChange[]) =>
    list.slice(0, 5).map((item) => `      ${item.grade}  ${item.title}`);
  const f1 = (task: 'match' | 'alert') =>
    `${task} F1 ${result.graded?.current[task].f1.toFixed(3)} -> ${result.graded?.proposed[task].f1.toFixed(3)}`;
  return [
    `   fixes ${result.fixed.length}, breaks ${result.broken.length}; ${f1('match')}, ${f1('alert')}`,
    ...(result.fixed.length ? ['   fixes (grade, title):', ...titles(result.fixed)] : []),
    ...(result.broken.length ? ['   breaks:', ...titles(result.broken)] : []),
  ];
}

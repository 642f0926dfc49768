import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fetchRemoteProfile } from '#shared/api/remote-reads.ts';
import { evaluateGraded, type GradedEvaluation } from '#shared/eval/graded-eval.ts';
import { formatLabeledItems } from '#shared/eval/labeled-item.ts';
import type { DecisionMetrics, Interval } from '#shared/eval/relevance-metrics.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { type CommonOptions, OPTION_HELP, withConfigOption } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { openRemoteApi, type RemoteOptions, withRemoteOption } from '../remote-api.ts';
import { terminalJson } from '../terminal-output.ts';
import { loadGradedItems, readLabels } from './graded-items.ts';
import { loadProfileForCli } from './profile-command.ts';

interface EvalOptions extends CommonOptions, RemoteOptions {
  feedback?: boolean;
  labels?: string;
  export?: string;
  json?: boolean;
}

/** Most wrong items listed in the readable report (--json lists them all). */
const WRONG_SHOWN = 30;

/**
 * `newswatch eval --feedback`: scores the user's graded items with the profile in use, as
 * `npm run eval` scores the shipped labeled set (the same code), and lists what it gets wrong.
 */
export function registerEvalCommand(program: Command): void {
  withConfigOption(
    withRemoteOption(
      program
        .command('eval')
        .description(
          'score graded items with the current profile: precision, recall and F1 with 95% intervals, and the items it gets wrong',
        )
        .option('--feedback', 'the items you graded (newswatch feedback), from the store')
        .option(
          '--labels <file>',
          'a labeled set in JSON Lines instead (e.g. ../shared/eval/dev.jsonl)',
        )
        .option(
          '--export <file>',
          'also write the graded items as JSON Lines, the labeled set format',
        )
        .option('--data <dir>', OPTION_HELP.data)
        .option('--seeds <dir>', OPTION_HELP.seeds)
        .option('--json', 'print the evaluation as one JSON object'),
    ),
  ).action(async (options: EvalOptions) => {
    if (Boolean(options.feedback) === Boolean(options.labels)) {
      throw new CliError('give either --feedback or --labels <file>', ExitCode.Usage);
    }
    const items = options.labels ? readLabels(options.labels) : await loadGradedItems(options);
    if (options.export) writeFileSync(options.export, formatLabeledItems(items));
    const profile = options.remote
      ? await fetchRemoteProfile(openRemoteApi({ ...options, remote: options.remote }))
      : await loadProfileForCli(options);
    const evaluation = evaluateGraded(profile, items);
    process.stdout.write(
      options.json
        ? `${terminalJson(evaluation)}\n`
        : terminalText(renderEvaluation(evaluation, options.export)),
    );
  });
}

/** The readable report: the figures with their intervals, then the items decided otherwise. */
export function renderEvaluation(evaluation: GradedEvaluation, exported?: string): string {
  const lines = [
    `profile ${evaluation.profileVersion}, thresholds match ${evaluation.thresholds.match}, alert ${evaluation.thresholds.alert}`,
    `${evaluation.items} graded items: ${positives(evaluation.match)} relevant or alert-worthy, ${positives(evaluation.alert)} alert-worthy`,
  ];
  if (exported) lines.push(`written as JSON Lines to ${exported}`);
  if (evaluation.items === 0) {
    lines.push('nothing graded yet: grade matches with `newswatch feedback <match-id> <0|1|2>`');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '',
    '         precision              recall                 F1',
    `match    ${figures(evaluation.match)}`,
    `alert    ${figures(evaluation.alert)}`,
    '',
    '[low, high]: 95% intervals (Wilson for precision and recall; F1 from their bounds). With few',
    'labels they are wide: the figures could be anywhere inside them.',
  );
  if (evaluation.errors.length === 0) {
    lines.push('', 'every graded item is decided as graded');
  } else {
    lines.push('', `decided otherwise than graded (${evaluation.errors.length}):`);
    for (const error of evaluation.errors.slice(0, WRONG_SHOWN)) {
      lines.push(
        `  graded ${error.item.grade}, decided ${error.decided} (score ${error.score.toFixed(2)}) ${error.kinds.join(', ')}`,
        `    ${error.item.id}  ${error.item.title}`,
      );
    }
    if (evaluation.errors.length > WRONG_SHOWN) {
      lines.push(
        `  ... and ${evaluation.errors.length - WRONG_SHOWN} more (--json lists them all)`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function positives(metrics: DecisionMetrics): number {
  return metrics.truePositives + metrics.falseNegatives;
}

function figures(metrics: DecisionMetrics): string {
  return [
    [metrics.precision, metrics.intervals.precision],
    [metrics.recall, metrics.intervals.recall],
    [metrics.f1, metrics.intervals.f1],
  ]
    .map(([value, interval]) =>
      `${(value as number).toFixed(3)} ${span(interval as Interval)}`.padEnd(23),
    )
    .join('')
    .trimEnd();
}

function span(interval: Interval): string {
  return `[${interval.low.toFixed(2)}, ${interval.high.toFixed(2)}]`;
}

import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { describeLineProblem, ScoreLineSchema } from '#shared/profile/score-line.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { CommonOptions } from '../command-options.ts';
import { withConfigOption } from '../command-options.ts';
import { ExitCode } from '../exit-codes.ts';
import { terminalJson } from '../terminal-output.ts';
import { loadProfileForCli } from './profile-command.ts';

interface ScoreOptions extends CommonOptions {
  explain?: boolean;
}

/** `newswatch score`: score JSON Lines items from stdin, one result line per input line. */
export function registerScoreCommand(program: Command): void {
  withConfigOption(
    program
      .command('score')
      .description(
        'score items read as JSON Lines on stdin ({"id","title","summary","content",...}); one JSON line out per item',
      )
      .option('--seeds <dir>', 'folder of seed articles and the optional profile.json')
      .option('--explain', 'add the full score explanation to each output line'),
  ).action(async (options: ScoreOptions) => {
    const scorer = createScorer(await loadProfileForCli(options));
    // A reader that goes away early (`| head`) ends the run quietly, as other Unix tools do.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Ok);
      throw error;
    });
    let lineNumber = 0;
    let badLines = 0;
    // Lines are scored as they arrive, so a long stream never sits in memory.
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim() === '') continue;
      const problem = scoreLine(line, scorer, options.explain ?? false);
      if (typeof problem === 'string') {
        badLines++;
        process.stderr.write(`newswatch score: line ${lineNumber}: ${terminalText(problem)}\n`);
        continue;
      }
      if (!process.stdout.write(problem.output)) await once(process.stdout, 'drain');
    }
    if (badLines > 0) process.exitCode = ExitCode.Partial;
  });
}

function scoreLine(
  line: string,
  scorer: ReturnType<typeof createScorer>,
  explain: boolean,
): string | { output: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  const parsed = ScoreLineSchema.safeParse(json);
  if (!parsed.success) return describeLineProblem(parsed.error, json);
  const item = parsed.data;
  const result = scorer.score(item);
  const output = {
    id: item.id,
    score: result.score,
    match: result.match,
    alert: result.alert,
    facets: result.facets,
    terms: result.terms,
    ...(result.lang ? { lang: result.lang } : {}),
    ...(explain ? { explanation: result.explanation } : {}),
  };
  return { output: `${terminalJson(output)}\n` };
}

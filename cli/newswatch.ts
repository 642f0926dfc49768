import { Command, CommanderError } from 'commander';
import { ConfigError } from '#shared/config/config-error.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { CliError, ExitCode } from './exit-codes.ts';

type Register = (program: Command) => void;

// Each command's module is loaded only when that command runs: together they pull in the AWS
// SDK, the embedded store and the profile builder, about 26 MiB that `parse` or `score` would
// carry for nothing (the parse memory benchmark counts the whole process).
const COMMANDS: Record<string, () => Promise<Register>> = {
  profile: async () => (await import('./commands/profile-command.ts')).registerProfileCommand,
  score: async () => (await import('./commands/score-command.ts')).registerScoreCommand,
  parse: async () => (await import('./commands/parse-command.ts')).registerParseCommand,
  run: async () => (await import('./commands/run-command.ts')).registerRunCommand,
  serve: async () => (await import('./commands/serve-command.ts')).registerServeCommand,
  matches: async () => (await import('./commands/matches-command.ts')).registerMatchesCommand,
  start: async () => (await import('./commands/start-command.ts')).registerStartCommand,
  feedback: async () => (await import('./commands/feedback-command.ts')).registerFeedbackCommand,
  eval: async () => (await import('./commands/eval-command.ts')).registerEvalCommand,
  'redrive-alerts': async () =>
    (await import('./commands/redrive-alerts-command.ts')).registerRedriveAlertsCommand,
  feeds: async () => (await import('./commands/feeds-command.ts')).registerFeedsCommand,
};

const program = new Command('newswatch')
  .description('Watch news feeds for a topic defined by example articles.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

// The program takes no options of its own, so the first word that is not an option names the
// command; help, a typo or no command at all loads every command, to list them or say so.
const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const wanted =
  named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
for (const name of wanted) (await (COMMANDS[name] as () => Promise<Register>)())(program);
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version arrive here as "errors" with exit code 0.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`newswatch: ${terminalText(error.message)}\n`);
    return ExitCode.Usage;
  }
  // Named, not imported: the signing client loads only with the commands that use --remote.
  if (error instanceof Error && error.name === 'RemoteApiError') {
    process.stderr.write(`newswatch: ${error.message}\n`);
    return ExitCode.Failure;
  }
  if (error instanceof CliError) {
    process.stderr.write(`newswatch: ${terminalText(error.message)}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `newswatch: unexpected failure: ${terminalText((error as Error)?.stack ?? String(error))}\n`,
  );
  return ExitCode.Failure;
}

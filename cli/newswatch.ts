import { Command, CommanderError } from 'commander';
import { RemoteApiError } from '#shared/api/signed-api-client.ts';
import { ConfigError } from '#shared/config/config-error.ts';
import { registerMatchesCommand } from './commands/matches-command.ts';
import { registerParseCommand } from './commands/parse-command.ts';
import { registerProfileCommand } from './commands/profile-command.ts';
import { registerRunCommand } from './commands/run-command.ts';
import { registerScoreCommand } from './commands/score-command.ts';
import { registerServeCommand } from './commands/serve-command.ts';
import { registerStartCommand } from './commands/start-command.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { forTerminal } from './terminal-output.ts';

const program = new Command('newswatch')
  .description('Watch news feeds for a topic defined by example articles.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

for (const register of [
  registerProfileCommand,
  registerScoreCommand,
  registerParseCommand,
  registerRunCommand,
  registerServeCommand,
  registerMatchesCommand,
  registerStartCommand,
]) {
  register(program);
}
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
    process.stderr.write(`newswatch: ${forTerminal(error.message)}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof RemoteApiError) {
    process.stderr.write(`newswatch: ${error.message}\n`);
    return ExitCode.Failure;
  }
  if (error instanceof CliError) {
    process.stderr.write(`newswatch: ${forTerminal(error.message)}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `newswatch: unexpected failure: ${forTerminal((error as Error)?.stack ?? String(error))}\n`,
  );
  return ExitCode.Failure;
}

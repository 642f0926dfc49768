import type { Command } from 'commander';
import { CliError } from '../exit-codes.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('(being built)')
    .action(() => {
      throw new CliError('serve: not built yet');
    });
}

import type { Command } from 'commander';
import { CliError } from '../exit-codes.ts';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('(being built)')
    .action(() => {
      throw new CliError('run: not built yet');
    });
}

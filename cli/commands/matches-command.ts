import type { Command } from 'commander';
import { CliError } from '../exit-codes.ts';

export function registerMatchesCommand(program: Command): void {
  program
    .command('matches')
    .description('(being built)')
    .action(() => {
      throw new CliError('matches: not built yet');
    });
}

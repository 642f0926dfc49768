import type { Command } from 'commander';
import { CliError } from '../exit-codes.ts';

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('(being built)')
    .action(() => {
      throw new CliError('score: not built yet');
    });
}

import type { Command } from 'commander';
import { CliError } from '../exit-codes.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('(being built)')
    .action(() => {
      throw new CliError('start: not built yet');
    });
}

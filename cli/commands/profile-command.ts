import type { Command } from 'commander';
import { CliError } from '../exit-codes.ts';

export function registerProfileCommand(program: Command): void {
  program
    .command('profile')
    .description('(being built)')
    .action(() => {
      throw new CliError('profile: not built yet');
    });
}

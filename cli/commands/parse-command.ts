import type { Command } from 'commander';
import { CliError } from '../exit-codes.ts';

export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('(being built)')
    .action(() => {
      throw new CliError('parse: not built yet');
    });
}

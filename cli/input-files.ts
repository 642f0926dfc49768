import { readFileSync } from 'node:fs';
import { CliError, ExitCode } from './exit-codes.ts';

/** A file named on the command line, as UTF-8 text; one that cannot be read is a usage error. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, ExitCode.Usage);
  }
}

/** Exit codes scripts can rely on; the README lists them. */
export const ExitCode = {
  Ok: 0,
  /** The run itself could not proceed (store unusable, unexpected failure). */
  Failure: 1,
  /** Bad options, bad config, or a missing file named on the command line. */
  Usage: 2,
  /** The command finished but some inputs (lines, feeds, files) were rejected. */
  Partial: 3,
} as const;

/** A failure the CLI reports as one clear line with the given exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Failure,
  ) {
    super(message);
  }
}

/** Exit codes a CI gate can rely on (documented in the README). */
export const EXIT = {
  /** The target conforms: no unwaived finding, every gate met. */
  conforms: 0,
  /** Findings, or a broken load gate (SLO). */
  findings: 1,
  /** Bad flags, bad URL, missing key, unreadable spec: nothing was run. */
  usage: 2,
  /** The target could not be reached. */
  unreachable: 3,
  /** Interrupted by the user (Ctrl-C); partial results are written. */
  interrupted: 130,
} as const;

/** An error meant for the user: printed as one line, exits with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

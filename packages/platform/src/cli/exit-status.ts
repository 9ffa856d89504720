/**
 * Thrown by a command that has finished and reported its outcome itself, yet must exit with a code
 * of its own (`ballast run` exits with its child's). `runCli` returns the code and prints nothing.
 */
export class ExitStatus extends Error {
  constructor(readonly exitCode: number) {
    super(`exit status ${exitCode}`)
    this.name = 'ExitStatus'
  }
}

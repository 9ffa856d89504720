/**
 * Runs that were started and not ended. When the event loop runs dry (a script's last line logged
 * a metric and returned), their buffers are sent before Node exits: the flush timer is unref'ed so
 * that it never keeps a process alive, and without this the last second of values would be lost.
 */
interface Flushable {
  readonly id: string
  readonly hasPending: boolean
  flush(): Promise<void>
}

const openRuns = new Set<Flushable>()
let listening = false

function flushOpenRuns(): void {
  for (const run of openRuns) {
    if (!run.hasPending) continue
    // Nobody is left to catch this: report it as a process warning rather than crash the exit.
    run.flush().catch((error: unknown) => {
      process.emitWarning(`ballast: values of run ${run.id} were not logged: ${String(error)}`)
    })
  }
}

export function trackOpenRun(run: Flushable): void {
  openRuns.add(run)
  if (!listening) {
    process.on('beforeExit', flushOpenRuns)
    listening = true
  }
}

export function untrackOpenRun(run: Flushable): void {
  openRuns.delete(run)
}

import cluster, { type Worker } from 'node:cluster'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError } from 'commander'

/**
 * `ballast serve --workers N`: N data-plane processes behind one port, through node:cluster (the
 * primary accepts connections and hands them to the workers in turn). Each worker is a whole
 * `ballast serve` (its own models, prediction-log buffer and counters); the primary only starts,
 * replaces and stops them. A worker that dies while serving is replaced; one that fails before it
 * listens, or more than MAX_RESTARTS replacements in a minute, stops them all.
 */

/** The CLI entry the workers run: the built one, whatever runs the primary. */
const ENTRY = fileURLToPath(new URL('../../bin/ballast.js', import.meta.url))

/** Most workers one primary starts. */
export const MAX_SERVE_WORKERS = 64

/** More replacements than this within RESTART_WINDOW_MS is a crash loop: everything stops. */
const MAX_RESTARTS = 5
const RESTART_WINDOW_MS = 60_000

type FromWorker = { ballast: 'listening'; url: string }
type ToWorker = { ballast: 'shutdown' }

/** Commander parser of `--workers`. */
export function workerCount(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_SERVE_WORKERS) {
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_SERVE_WORKERS}`)
  }
  return n
}

export const isServeWorker = (): boolean => cluster.isWorker

/** In a worker: tells the primary where it listens. */
export function announceListening(url: string): void {
  process.send?.({ ballast: 'listening', url } satisfies FromWorker)
}

/**
 * In a worker: resolves when the primary asks it to stop or goes away. Signals sent to the whole
 * process group (Ctrl-C) are left to the primary, which then asks every worker in turn: a second
 * signal must not kill a worker that is still flushing its prediction log.
 */
export function shutdownFromPrimary(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => {})
  return new Promise((resolve) => {
    process.on('message', (message: ToWorker) => {
      if (message?.ballast === 'shutdown') resolve()
    })
    process.once('disconnect', () => resolve())
  })
}

export interface ServeWorkersOptions {
  count: number
  /** The command line the workers run (the primary's own). */
  args: readonly string[]
  env: Record<string, string | undefined>
  cwd: string
  /** Resolves when the primary should stop every worker. */
  stopping: Promise<void>
  /** A worker still draining this long after it was asked to stop is killed. */
  killAfterMs: number
  /** Called once every worker listens. */
  onListening(url: string): void
  log(line: string): void
}

/**
 * Starts the workers, replaces one that exits while serving, and on `stopping` asks each to drain
 * and waits for all. Rejects when a worker fails before it listens (a bad store, a deployment
 * that cannot be loaded): the others are stopped first.
 */
export async function runServeWorkers(options: ServeWorkersOptions): Promise<void> {
  if (!existsSync(ENTRY)) throw new Error(`--workers needs the built command (${ENTRY} is missing)`)
  cluster.setupPrimary({ exec: ENTRY, args: [...options.args], cwd: options.cwd })
  const live = new Set<Worker>()
  let stopping = false
  let failed: ((error: Error) => void) | undefined
  const failure = new Promise<never>((_, reject) => (failed = reject))
  failure.catch(() => {})

  const restarts: number[] = []
  const start = (): Promise<string> => {
    const worker = cluster.fork(options.env)
    live.add(worker)
    let listening = false
    return new Promise<string>((resolve) => {
      worker.on('message', (message: FromWorker) => {
        if (message?.ballast !== 'listening') return
        listening = true
        resolve(message.url)
      })
      worker.once('exit', (code, signal) => {
        live.delete(worker)
        if (stopping) return
        const how = signal === null ? `exit code ${code}` : `signal ${signal}`
        if (!listening) {
          failed?.(new Error(`a serve worker stopped (${how}) before it could serve`))
          return
        }
        const now = Date.now()
        restarts.push(now)
        while (restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift()
        if (restarts.length > MAX_RESTARTS) {
          failed?.(
            new Error(`serve workers stopped ${restarts.length} times in a minute (last: ${how})`),
          )
          return
        }
        options.log(
          `ballast serve: worker ${worker.process.pid} stopped (${how}); starting another`,
        )
        void start()
      })
    })
  }

  const stopAll = async () => {
    stopping = true
    const exits = [...live].map((w) => new Promise((resolve) => w.once('exit', resolve)))
    for (const worker of live) {
      if (worker.isConnected()) worker.send({ ballast: 'shutdown' } satisfies ToWorker)
      else worker.process.kill('SIGTERM')
    }
    const kill = setTimeout(() => {
      for (const worker of live) {
        options.log(`ballast serve: worker ${worker.process.pid} did not stop in time; killed`)
        worker.process.kill('SIGKILL')
      }
    }, options.killAfterMs)
    await Promise.all(exits)
    clearTimeout(kill)
  }

  try {
    const urls = await Promise.race([
      Promise.all(Array.from({ length: options.count }, start)),
      failure,
    ])
    options.onListening(urls[0]!)
    await Promise.race([options.stopping, failure])
  } finally {
    await stopAll()
  }
}

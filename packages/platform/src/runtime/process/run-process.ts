import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { InvalidParameterError } from '@ballast/contracts'
import { OUTPUT_TAIL_BYTES, OutputTail } from './output-tail.js'

/** Where a child's output goes as it comes. */
export interface ProcessStreams {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
}

export interface RunProcessOptions {
  command: string
  args: readonly string[]
  cwd: string
  /** The child's whole environment: nothing else of this process leaks in. */
  env: Record<string, string | undefined>
  /** Where the child's output is passed through as it comes. */
  streams: ProcessStreams
  /** Aborting sends SIGTERM to the child, as a SIGTERM to this process does. */
  signal?: AbortSignal
  /** Bytes kept of each of stdout and stderr (the last ones); 64 MiB by default. */
  maxOutputBytes?: number
  /** Forward SIGINT and SIGTERM received by this process to the child (default true). */
  forwardSignals?: boolean
  /** The child reads this process's stdin (default), or none (a job on a worker). */
  stdin?: 'inherit' | 'ignore'
}

export interface ProcessOutcome {
  /** The child's exit code, or 128 + the signal number when a signal ended it (as shells do). */
  exitCode: number
  /** The signal that ended the child, if one did. */
  signal?: NodeJS.Signals
  /** The first SIGINT/SIGTERM (or abort) this process received and passed on to the child. */
  interruptedBy?: NodeJS.Signals
  stdout: OutputTail
  stderr: OutputTail
}

/** After the child exits, how long a grandchild that inherited its pipes may keep them open. */
const PIPE_GRACE_MS = 2000
const FORWARDED = ['SIGINT', 'SIGTERM'] as const

type Sink = ProcessStreams['stdout'] & {
  once?: (event: 'drain', listener: () => void) => unknown
}

/** Copies a child's stream to a sink live (pausing while the sink is full) and into a tail. */
function passThrough(from: Readable, to: Sink, tail: OutputTail): void {
  // Chunks may split a multi-byte character; the decoder holds the partial bytes back.
  const decoder = new StringDecoder('utf8')
  from.on('data', (chunk: Buffer) => {
    tail.push(chunk)
    const text = decoder.write(chunk)
    if (text !== '' && to.write(text) === false && typeof to.once === 'function') {
      from.pause()
      to.once('drain', () => from.resume())
    }
  })
  from.on('end', () => {
    const rest = decoder.end()
    if (rest !== '') to.write(rest)
  })
}

function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

/**
 * Runs a command without a shell, its stdin inherited and its stdout and stderr passed through and
 * kept (bounded). Resolves when it has ended, whatever its exit status; rejects with an
 * InvalidParameterError naming the command when it cannot be started.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessOutcome> {
  const maxBytes = options.maxOutputBytes ?? OUTPUT_TAIL_BYTES
  const stdoutTail = new OutputTail(maxBytes)
  const stderrTail = new OutputTail(maxBytes)
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.stdin ?? 'inherit', 'pipe', 'pipe'],
    shell: false,
  })
  passThrough(child.stdout, options.streams.stdout, stdoutTail)
  passThrough(child.stderr, options.streams.stderr, stderrTail)

  let interruptedBy: NodeJS.Signals | undefined
  const forward = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  const onSignal = (signal: NodeJS.Signals) => forward(signal)
  const onAbort = () => forward('SIGTERM')
  if (options.forwardSignals !== false) for (const s of FORWARDED) process.on(s, onSignal)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const cleanUp = () => {
    for (const s of FORWARDED) process.off(s, onSignal)
    options.signal?.removeEventListener('abort', onAbort)
  }

  return new Promise<ProcessOutcome>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failure to start ends the command here; a failed kill leaves it running.
      if (child.pid !== undefined) return
      cleanUp()
      const reason =
        error.code === 'ENOENT'
          ? 'command not found'
          : error.code === 'EACCES'
            ? 'permission denied (not executable?)'
            : error.message
      reject(
        new InvalidParameterError(`cannot run '${options.command}': ${reason}`, { cause: error }),
      )
    })
    child.once('spawn', () => {
      if (options.signal?.aborted) onAbort()
    })
    child.once('exit', (code, signal) => {
      cleanUp()
      const finish = () =>
        resolve({
          exitCode: signal !== null ? signalExitCode(signal) : (code ?? 0),
          ...(signal === null ? {} : { signal }),
          ...(interruptedBy === undefined ? {} : { interruptedBy }),
          stdout: stdoutTail,
          stderr: stderrTail,
        })
      const grace = setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
        finish()
      }, PIPE_GRACE_MS)
      child.once('close', () => {
        clearTimeout(grace)
        finish()
      })
    })
  })
}

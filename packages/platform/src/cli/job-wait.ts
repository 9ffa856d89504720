import {
  AppError,
  FINAL_JOB_STATUSES,
  type GetJobResponse,
  JOBS_API,
  type JobLogLine,
  type JobLogsResponse,
  type JobRecord,
  isErrorCode,
} from '@ballast/contracts'
import { MultiBar, Presets, type SingleBar } from 'cli-progress'
import { onShutdownSignals } from '../http/server.js'
import { defaultJobHandlers } from '../runtime/job-handlers.js'
import type { Runtime } from '../runtime/open-runtime.js'
import { Worker } from '../runtime/worker.js'
import { LIVE_WORKER_STALE_MS } from '../storage/jobs/index.js'
import type { CliClient } from './client.js'
import type { CliIo } from './global-options.js'
import { formatTime } from './output.js'

/** About four looks a second: progress feels live, and the server barely notices. */
const POLL_MS = 250
/** Without a terminal, progress is a line at most this often. */
const PROGRESS_LINE_MS = 3_000

export interface WaitForJobOptions {
  json?: boolean
  /** Names the work on the progress bar (`training`); default the job's kind. */
  label?: string
  pollMs?: number
}

const jobPath = (jobId: string) => `${JOBS_API}/${encodeURIComponent(jobId)}`

/** A log line as `ballast jobs logs` prints it. */
export function formatLogLine(line: JobLogLine): string {
  return `${formatTime(line.time)} ${line.level.padEnd(5)} ${line.message}\n`
}

/** Resolves when the caller's signal aborts, or on SIGINT/SIGTERM when it has none. */
function interruption(io: CliIo): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const onAbort = () => controller.abort()
  if (io.signal !== undefined) {
    if (io.signal.aborted) controller.abort()
    else io.signal.addEventListener('abort', onAbort, { once: true })
    return {
      signal: controller.signal,
      dispose: () => io.signal?.removeEventListener('abort', onAbort),
    }
  }
  const remove = onShutdownSignals(async () => onAbort())
  return { signal: controller.signal, dispose: remove }
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    if (signal.aborted) done()
    else signal.addEventListener('abort', done, { once: true })
  })

/** Progress on standard error: a bar on a terminal, else an occasional line. */
class ProgressView {
  private multi: MultiBar | undefined
  private bar: SingleBar | undefined
  private lastLineAt = 0
  private lastText = ''

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    /** Scripts reading JSON get no progress lines (a terminal still gets the bar). */
    private readonly quiet: boolean,
  ) {}

  private get terminal(): boolean {
    return (this.io.stderr as { isTTY?: boolean }).isTTY === true
  }

  show(job: JobRecord): void {
    const { done, total, message } = job.progress
    if (total <= 0 && message === null) return
    // Without a total (work that learns its size as it goes) there is no bar to fill: lines.
    if (this.terminal && total > 0) {
      this.multi ??= new MultiBar(
        {
          stream: this.io.stderr as unknown as NodeJS.WriteStream,
          format: `${this.label} {bar} {percentage}% | {value}/{total} | {message}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      )
      const payload = { message: message ?? '' }
      if (this.bar === undefined) this.bar = this.multi.create(Math.max(total, 1), done, payload)
      else {
        this.bar.setTotal(Math.max(total, 1))
        this.bar.update(done, payload)
      }
      return
    }
    if (this.quiet && !this.terminal) return
    const percent = total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : ''
    const count = total > 0 ? `${done}/${total}${percent}` : `${done}`
    const text = `${this.label}: ${count}${message === null ? '' : ` ${message}`}`
    const now = Date.now()
    if (text === this.lastText || now - this.lastLineAt < PROGRESS_LINE_MS) return
    this.lastText = text
    this.lastLineAt = now
    this.io.stderr.write(`${text}\n`)
  }

  /** A line above the bar (or just a line). */
  log(text: string): void {
    if (this.multi !== undefined) this.multi.log(text)
    else this.io.stderr.write(text)
  }

  stop(): void {
    this.multi?.stop()
    this.multi = undefined
    this.bar = undefined
  }
}

/**
 * Follows a job until it ends: progress on standard error, its log lines as they come. Returns the
 * job as it ended; a failed job throws an AppError with the job's code and message. An interrupt
 * (Ctrl-C, or `io.signal`) stops waiting, not the job: the job as it is now is returned.
 */
export async function waitForJob(
  client: CliClient,
  jobId: string,
  io: CliIo,
  options: WaitForJobOptions = {},
): Promise<JobRecord> {
  const { ballast } = client
  const interrupt = interruption(io)
  let view: ProgressView | undefined
  let afterSeq = 0
  try {
    for (;;) {
      const { job } = await ballast.request<GetJobResponse>('GET', jobPath(jobId))
      view ??= new ProgressView(io, options.label ?? job.kind, options.json === true)
      const { logs } = await ballast.request<JobLogsResponse>('GET', `${jobPath(jobId)}/logs`, {
        after: afterSeq,
      })
      for (const line of logs) {
        view.log(formatLogLine(line))
        afterSeq = line.seq
      }
      view.show(job)
      if (FINAL_JOB_STATUSES.includes(job.status)) {
        view.stop()
        return finished(job, io)
      }
      if (interrupt.signal.aborted) {
        view.stop()
        io.stderr.write(
          `stopped waiting; job ${job.id} is ${job.status} and goes on. Follow it with: ballast jobs logs ${job.id} --follow\n`,
        )
        return job
      }
      await pause(options.pollMs ?? POLL_MS, interrupt.signal)
    }
  } finally {
    view?.stop()
    interrupt.dispose()
  }
}

/**
 * waitForJob, with a worker of the job's kind in this process while it waits when nothing else
 * would run it (a local store with no server): what `ballast train` and `ballast gc` do.
 */
export async function followJob(
  client: CliClient,
  job: JobRecord,
  io: CliIo,
  options: WaitForJobOptions = {},
): Promise<JobRecord> {
  const stopWorker = await ensureWorkerFor(client, job.kind)
  try {
    return await waitForJob(client, job.id, io, options)
  } finally {
    await stopWorker()
  }
}

function finished(job: JobRecord, io: CliIo): JobRecord {
  if (job.status === 'failed') {
    const code =
      job.error !== null && isErrorCode(job.error.code) ? job.error.code : 'INTERNAL_ERROR'
    throw new AppError(code, job.error?.message ?? `job ${job.id} failed`)
  }
  if (job.status === 'cancelled') io.stderr.write(`job ${job.id} was cancelled\n`)
  return job
}

/**
 * On the store of this machine with no live worker of `kind` (no server running on it), runs a
 * worker in this process until the returned function is called. Through a server, or when a
 * worker is there already, does nothing.
 */
export async function ensureWorkerFor(
  client: CliClient,
  kind: string,
  runtime: Runtime | undefined = client.runtime,
): Promise<() => Promise<void>> {
  const nothing = async () => {}
  if (client.mode !== 'local' || runtime === undefined) return nothing
  const jobs = runtime.services.jobs
  if ((await jobs.liveWorkers(kind, LIVE_WORKER_STALE_MS)).length > 0) return nothing
  const handlers = client.handlers?.() ?? defaultJobHandlers()
  if (!Object.hasOwn(handlers, kind)) return nothing
  const worker = new Worker({
    queue: jobs,
    services: runtime.services,
    handlers,
    logger: runtime.logger,
    kinds: [kind],
    pollMs: Math.min(runtime.config.worker.pollMs, POLL_MS),
    leaseMs: runtime.config.worker.leaseMs,
    stopTimeoutMs: runtime.config.server.shutdownTimeoutMs,
  })
  await worker.start()
  return () => worker.stop()
}

import { FINAL_JOB_STATUSES } from '@ballast/contracts'
import type { Logger } from 'pino'
import { IntervalLoop } from '../scheduling/index.js'
import { MONITOR_JOB } from './monitor-job.js'
import type { Services } from './services.js'

export interface MonitorSchedulerOptions {
  services: Services
  logger: Logger
  intervalMs: number
}

/**
 * Looks for monitors with a due window every interval and enqueues one `monitor` job per such
 * monitor, unless the job it enqueued last has not finished. Servers and workers each run one;
 * two jobs for the same monitor are harmless (the second records nothing), so no lock is needed.
 */
export class MonitorScheduler {
  private readonly pending = new Map<string, string>()
  private readonly loop: IntervalLoop

  constructor(private readonly options: MonitorSchedulerOptions) {
    this.loop = new IntervalLoop(
      () => this.runOnce(),
      options.intervalMs,
      (error) => options.logger.warn({ err: error }, 'monitor check failed'),
    )
  }

  start(): void {
    this.loop.start()
  }

  stop(): Promise<void> {
    return this.loop.stop()
  }

  /** One look: returns the monitors a job was enqueued for. */
  async runOnce(): Promise<string[]> {
    const { services } = this.options
    const monitors = await services.monitoring.monitors.list()
    const enqueued: string[] = []
    for (const monitor of monitors) {
      if (this.loop.stopping) break
      const jobId = this.pending.get(monitor.name)
      if (jobId !== undefined) {
        const job = await services.jobs.get(jobId)
        if (job !== undefined && !FINAL_JOB_STATUSES.includes(job.status)) continue
        this.pending.delete(monitor.name)
      }
      if ((await services.monitoring.monitors.dueWindows(monitor.name)) === 0) continue
      const job = await services.jobs.enqueue({
        kind: MONITOR_JOB,
        payload: { monitor: monitor.name },
        createdBy: 'system:monitor-scheduler',
      })
      this.pending.set(monitor.name, job.id)
      enqueued.push(monitor.name)
    }
    return enqueued
  }
}

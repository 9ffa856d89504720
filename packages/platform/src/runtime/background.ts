import { WebhookDispatcher } from '../monitoring/index.js'
import { TriggerLoop } from '../orchestration/index.js'
import { defaultJobHandlers } from './job-handlers.js'
import { MONITOR_JOB } from './monitor-job.js'
import { MonitorScheduler } from './monitor-scheduler.js'
import { PipelineResumer } from './pipeline-resumer.js'
import type { Runtime } from './open-runtime.js'
import { Worker } from './worker.js'

export interface BackgroundOptions {
  /** Run a job worker in this process. */
  worker: boolean
  /** Job kinds the worker runs (default: every built-in kind). */
  kinds?: readonly string[]
  /** Look for due monitor windows and deliver webhooks (default: true). */
  monitoring?: boolean
  /** Check pipeline triggers and start the runs they fire (default: true). */
  triggers?: boolean
  /** The server jobs' programs should log to (`MLFLOW_TRACKING_URI` of command steps). */
  trackingUri?: string
}

export interface Background {
  readonly worker: Worker | undefined
  /** Stops looking for new work; a running job finishes or goes back to the queue. */
  stop(): Promise<void>
}

/**
 * The work a Ballast process does besides answering requests: running jobs, enqueueing monitor
 * windows as they fall due, delivering webhooks from the outbox, and checking pipeline triggers.
 * Every server and worker may run all of them at once against one store; none of them needs to be
 * the only one.
 */
export async function startBackground(
  runtime: Runtime,
  options: BackgroundOptions,
): Promise<Background> {
  const { config, services, logger } = runtime
  const handlers = defaultJobHandlers()
  const worker = options.worker
    ? new Worker({
        queue: services.jobs,
        services,
        handlers,
        logger,
        ...(options.kinds === undefined ? {} : { kinds: options.kinds }),
        pollMs: config.worker.pollMs,
        leaseMs: config.worker.leaseMs,
        stopTimeoutMs: config.server.shutdownTimeoutMs,
        ...(options.trackingUri === undefined ? {} : { trackingUri: options.trackingUri }),
      })
    : undefined
  const monitoring =
    (options.monitoring ?? true) &&
    (options.kinds === undefined || options.kinds.includes(MONITOR_JOB))
  const scheduler = monitoring
    ? new MonitorScheduler({ services, logger, intervalMs: config.monitoring.checkIntervalMs })
    : undefined
  const dispatcher = monitoring
    ? new WebhookDispatcher({
        store: runtime.store,
        logger,
        allowPrivate: config.monitoring.allowPrivateWebhooks,
        timeoutMs: config.monitoring.webhookTimeoutMs,
        maxAttempts: config.monitoring.webhookMaxAttempts,
      })
    : undefined
  const triggers =
    (options.triggers ?? true)
      ? new TriggerLoop({
          deps: {
            store: runtime.store,
            pipelines: services.orchestration.pipelines,
            data: services.data,
            monitors: services.monitoring.monitors,
          },
          logger,
          intervalMs: config.orchestration.triggerIntervalMs,
        })
      : undefined
  const resumer = new PipelineResumer({ services, logger })
  await worker?.start()
  scheduler?.start()
  dispatcher?.start()
  triggers?.start()
  resumer.start()
  return {
    worker,
    async stop() {
      await resumer.stop()
      await triggers?.stop()
      await scheduler?.stop()
      await dispatcher?.stop()
      await worker?.stop()
    },
  }
}

import type { Logger } from 'pino'
import type { Services } from './services.js'

export interface PipelineResumerOptions {
  services: Services
  logger: Logger
  /** How often to look (default 30 s); the first look is at start-up. */
  intervalMs?: number
}

/**
 * The resume check, run by every server and worker: at start-up and then periodically, pipeline
 * runs whose step jobs ended without the run moving on (the process died between a job's end and
 * the coordinator) are advanced, so an interrupted run goes on from its last finished step. The
 * coordinator's compare-and-set makes several checkers at once harmless.
 */
export class PipelineResumer {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false

  constructor(private readonly options: PipelineResumerOptions) {}

  start(): void {
    this.stopped = false
    const tick = () => {
      this.running = this.options.services.orchestration.pipelines.coordinator
        .resume()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'pipeline resume check failed'),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 30_000)
        })
    }
    tick()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    await this.running
  }
}

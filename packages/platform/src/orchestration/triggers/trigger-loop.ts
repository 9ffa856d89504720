import type { Logger } from 'pino'
import { checkTriggers } from './trigger-engine.js'
import type { TriggerDependencies } from './trigger-types.js'

export interface TriggerLoopOptions {
  deps: TriggerDependencies
  logger: Logger
  intervalMs: number
  /** The time a check runs at (default Date.now). */
  clock?: () => number
}

/**
 * Checks pipeline triggers every interval. Servers and workers each run one: firings are claimed
 * by compare-and-set, so loops on several machines start a run once. A failed check is logged
 * and the next one runs as usual.
 */
export class TriggerLoop {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false

  constructor(private readonly options: TriggerLoopOptions) {}

  start(): void {
    this.stopped = false
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'pipeline trigger check failed'),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs)
        })
    }
    this.timer = setTimeout(tick, this.options.intervalMs)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    await this.running
  }

  /** One check; each trigger that could not be checked is logged. */
  async runOnce(): Promise<void> {
    const { deps, logger } = this.options
    const check = await checkTriggers(deps, (this.options.clock ?? Date.now)())
    for (const { pipeline, trigger, error } of check.failures) {
      logger.warn({ err: error, pipeline, trigger }, 'pipeline trigger check failed')
    }
    for (const f of check.firings) {
      logger.info(
        { pipeline: f.pipeline, trigger: f.trigger, outcome: f.outcome, runId: f.runId },
        `pipeline trigger fired: ${f.reason}`,
      )
    }
  }
}

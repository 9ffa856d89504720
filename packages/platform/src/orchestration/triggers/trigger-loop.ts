import type { Logger } from 'pino'
import { IntervalLoop } from '../../scheduling/index.js'
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
  private readonly loop: IntervalLoop

  constructor(private readonly options: TriggerLoopOptions) {
    this.loop = new IntervalLoop(
      () => this.runOnce(),
      options.intervalMs,
      (error) => options.logger.warn({ err: error }, 'pipeline trigger check failed'),
    )
  }

  start(): void {
    this.loop.start()
  }

  stop(): Promise<void> {
    return this.loop.stop()
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

/**
 * Runs a task again and again, `intervalMs` after the previous run ended, so that runs never
 * overlap however long one takes. A failed run goes to `onError` and the next runs as usual.
 * `stop()` cancels the next run and waits for one in progress.
 */
export class IntervalLoop {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private started = false
  private stopped = false

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True once `stop()` was called: a long run can end early. */
  get stopping(): boolean {
    return this.stopped
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.stopped = false
    const tick = () => {
      this.running = this.task()
        .then(() => undefined)
        .catch((error: unknown) => this.onError(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs)
        })
    }
    this.timer = setTimeout(tick, this.intervalMs)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.started = false
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    await this.running
  }
}

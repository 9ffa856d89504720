import type { LoadedModel, RecordPrediction } from '../serving-types.js'
import { RecordBatcher } from './record-batcher.js'

/** `model@version`: one loaded model, shared by every deployment that serves that version. */
export function slotKey(model: string, version: number): string {
  return `${model}@${version}`
}

/**
 * A loaded model and the requests running on it. A slot leaves the routing table first and is
 * closed only once its last request has finished, so that a switch never fails a request.
 */
export class ModelSlot {
  private running = 0
  private drained: (() => void) | undefined
  private readonly batcher: RecordBatcher

  constructor(
    readonly key: string,
    readonly model: LoadedModel,
  ) {
    this.batcher = new RecordBatcher(model)
  }

  /** The model's answer, run together with the records of requests that arrived alongside. */
  predictRecords(records: readonly Record<string, unknown>[]): Promise<RecordPrediction[]> {
    return this.batcher.predict(records)
  }

  get inFlight(): number {
    return this.running
  }

  /** Counts a request in; call synchronously with reading the routing table. */
  acquire(): void {
    this.running += 1
  }

  release(): void {
    this.running -= 1
    if (this.running === 0) this.drained?.()
  }

  /** Waits for the requests running now (and any acquired later) to finish, then closes. */
  async retire(): Promise<void> {
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve
      })
    }
    await this.model.close()
  }
}

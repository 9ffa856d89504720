import type { LoadedModel, RecordPrediction } from '../serving-types.js'

interface Waiting {
  records: readonly Record<string, unknown>[]
  resolve: (predictions: RecordPrediction[]) => void
  reject: (error: unknown) => void
}

/** Rows one model run takes at most; larger requests run alone. */
export const MAX_BATCH_ROWS = 512

/**
 * Runs the records of requests that arrive together (in one turn of the event loop) as one model
 * run: onnxruntime costs about the same for one row as for dozens, and runs on the server's
 * thread. When the joint run fails (a bad record), each request runs alone, so that only the
 * request at fault fails, with the record index its own.
 */
export class RecordBatcher {
  private queue: Waiting[] = []

  constructor(
    private readonly model: LoadedModel,
    private readonly maxRows = MAX_BATCH_ROWS,
  ) {}

  predict(records: readonly Record<string, unknown>[]): Promise<RecordPrediction[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject })
      if (this.queue.length === 1) setImmediate(() => this.runQueued())
    })
  }

  private runQueued(): void {
    let rows = 0
    let take = 0
    while (
      take < this.queue.length &&
      (take === 0 || rows + this.queue[take]!.records.length <= this.maxRows)
    ) {
      rows += this.queue[take]!.records.length
      take += 1
    }
    const batch = this.queue.splice(0, take)
    if (this.queue.length > 0) setImmediate(() => this.runQueued())
    if (batch.length === 1) {
      this.alone(batch[0]!)
      return
    }
    this.model.predictRecords(batch.flatMap((w) => w.records)).then(
      (predictions) => {
        let offset = 0
        for (const w of batch) {
          w.resolve(predictions.slice(offset, offset + w.records.length))
          offset += w.records.length
        }
      },
      () => {
        for (const w of batch) this.alone(w)
      },
    )
  }

  private alone(w: Waiting): void {
    this.model.predictRecords(w.records).then(w.resolve, w.reject)
  }
}

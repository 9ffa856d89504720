import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { AppError, InvalidParameterError, isErrorCode } from '@ballast/contracts'
import { BATCH_SESSION_OPTIONS, type BatchInput, type BatchOutput } from './batch-session.js'

/**
 * Most scoring workers by default: each holds its own copy of the model and up to two batches,
 * and one thread reads the input and appends the answers for all of them.
 */
const MAX_DEFAULT_WORKERS = 4

/** Scoring workers unless told otherwise: one per core, at most MAX_DEFAULT_WORKERS. */
export function defaultBatchWorkers(): number {
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, availableParallelism()))
}

/** Message id of the worker's first answer: its session is loaded, or why it is not. */
const READY = 0

/** A worker's answer to one message. */
type Reply =
  | { id: number; outputs: Record<string, BatchOutput> }
  | { id: number; error: { message: string; code: string | null } }

// The worker is plain CommonJS evaluated from this text, and loads onnxruntime by the path this
// module resolves: it then runs the same from the compiled package and from the TypeScript sources
// (a worker file next to this one would not exist when the sources run). Each worker owns one
// session; messages are run one at a time, in the order they arrive.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const ort = require(workerData.onnxruntime)
const failure = (id, error) => ({
  id,
  error: {
    message: error instanceof Error ? error.message : String(error),
    code: typeof error?.code === 'string' ? error.code : null,
  },
})
const session = ort.InferenceSession.create(workerData.onnx, workerData.options)
let queue = session.then(
  () => parentPort.postMessage({ id: ${READY}, outputs: {} }),
  (error) => parentPort.postMessage(failure(${READY}, error)),
)
parentPort.on('message', (message) => {
  queue = queue.then(async () => {
    try {
      const s = await session
      if (message.release) {
        await s.release()
        parentPort.postMessage({ id: message.id, outputs: {} })
        return
      }
      const tensors = {}
      for (const input of message.inputs) {
        tensors[input.name] = new ort.Tensor(input.type, input.data, input.dims)
      }
      const results = await s.run(tensors, message.outputs)
      const outputs = {}
      for (const [name, tensor] of Object.entries(results)) {
        outputs[name] = { dims: tensor.dims, data: tensor.data }
      }
      parentPort.postMessage({ id: message.id, outputs })
    } catch (error) {
      parentPort.postMessage(failure(message.id, error))
    }
  })
})
`

/** An error as the session in this thread would have thrown it. */
function rebuild(error: { message: string; code: string | null }): Error {
  if (error.code === 'INVALID_PARAMETER_VALUE') return new InvalidParameterError(error.message)
  if (isErrorCode(error.code)) return new AppError(error.code, error.message)
  return new Error(error.message)
}

interface Pending {
  resolve(outputs: Record<string, BatchOutput>): void
  reject(error: Error): void
}

/** One worker thread holding one onnxruntime session of the model. */
class ScoringWorker {
  private readonly pending = new Map<number, Pending>()
  private nextId = READY + 1
  private stopped: Error | null = null

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id)
      if (waiting === undefined) return
      this.pending.delete(reply.id)
      if ('error' in reply) waiting.reject(rebuild(reply.error))
      else waiting.resolve(reply.outputs)
    })
    const stop = (error: Error) => {
      this.stopped ??= error
      for (const waiting of this.pending.values()) waiting.reject(this.stopped)
      this.pending.clear()
    }
    worker.on('error', (error) => stop(new Error(`batch scoring worker failed: ${error.message}`)))
    worker.on('exit', (code) => stop(new Error(`batch scoring worker exited with code ${code}`)))
  }

  /** Starts a worker and waits for its session: a model onnxruntime refuses fails here. */
  static async start(onnx: Uint8Array): Promise<ScoringWorker> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        onnx,
        options: BATCH_SESSION_OPTIONS,
        onnxruntime: createRequire(import.meta.url).resolve('onnxruntime-node'),
      },
    })
    const scoring = new ScoringWorker(worker)
    try {
      await scoring.answer(READY)
    } catch (error) {
      await worker.terminate()
      throw error
    }
    return scoring
  }

  private answer(id: number): Promise<Record<string, BatchOutput>> {
    if (this.stopped !== null) return Promise.reject(this.stopped)
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }))
  }

  private send(message: object): Promise<Record<string, BatchOutput>> {
    const id = this.nextId++
    const answer = this.answer(id)
    // Copies the message now, so the caller may refill its arrays at once.
    if (this.stopped === null) this.worker.postMessage({ id, ...message })
    return answer
  }

  run(inputs: readonly BatchInput[], outputs: readonly string[]) {
    return this.send({ inputs, outputs })
  }

  async release(): Promise<void> {
    if (this.stopped === null) await this.send({ release: true })
    await this.worker.terminate()
  }
}

/**
 * onnxruntime sessions of one model in worker threads, one batch each at a time. Batches run in
 * parallel across workers but each on one thread, so a row gets the same answer as in this
 * thread or online, whichever worker scores it.
 */
export class BatchWorkerPool {
  private next = 0

  private constructor(private readonly workers: ScoringWorker[]) {}

  static async start(onnx: Uint8Array, count: number): Promise<BatchWorkerPool> {
    const started = await Promise.allSettled(
      Array.from({ length: count }, () => ScoringWorker.start(onnx)),
    )
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    const failed = started.find((s) => s.status === 'rejected')
    if (failed !== undefined) {
      await Promise.all(workers.map((w) => w.release()))
      throw failed.reason
    }
    return new BatchWorkerPool(workers)
  }

  get size(): number {
    return this.workers.length
  }

  /**
   * Sends a batch to the next worker in turn; its inputs are copied before this returns, and a
   * worker runs its batches one at a time, in the order they were sent.
   */
  run(
    inputs: readonly BatchInput[],
    outputs: readonly string[],
  ): Promise<Record<string, BatchOutput>> {
    const worker = this.workers[this.next]!
    this.next = (this.next + 1) % this.workers.length
    return worker.run(inputs, outputs)
  }

  async release(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.release()))
  }
}

import { InvalidParameterError } from '@ballast/contracts'
import * as ort from 'onnxruntime-node'
import type { FeedArray } from './batch-feeds.js'
import type { FeedType } from './column-plan.js'

const FEED_TYPES: Record<string, FeedType> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  string: 'string',
  bool: 'bool',
}

/** One graph input of a batch: the feed and the dimensions the graph takes it in. */
export interface BatchInput {
  name: string
  type: FeedType
  data: FeedArray
  dims: number[]
}

/** An output tensor of one batch, row-major. */
export interface BatchOutput {
  dims: readonly number[]
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[]
}

/**
 * How every batch session is set up, in this thread or in a scoring worker. One intra-op thread:
 * onnxruntime splits a batch's trees between its threads and adds their sums in another order,
 * which moves probabilities in the last bits; batches run in parallel in workers instead.
 */
export const BATCH_SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  // Spinning threads buy latency, not throughput: on a busy machine they only burn the
  // cores the other threads need (measured: 2.4 s against 1.3 s per 64k rows, 2 cores).
  extra: { session: { 'intra_op.allow_spinning': '0' } },
}

/**
 * onnxruntime over whole batches: feeds go in as the typed arrays the feed builder filled, and
 * outputs come back as onnxruntime's own typed arrays, so no value is boxed on the way.
 */
export class BatchSession {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(bytes: Uint8Array): Promise<BatchSession> {
    return new BatchSession(await ort.InferenceSession.create(bytes, BATCH_SESSION_OPTIONS))
  }

  /** Each graph input and the element type it takes. */
  feedTypes(): Map<string, FeedType> {
    const out = new Map<string, FeedType>()
    for (const meta of this.session.inputMetadata) {
      const type = meta.isTensor ? FEED_TYPES[meta.type] : undefined
      if (type === undefined) {
        throw new InvalidParameterError(
          `model input '${meta.name}' is of a type batch scoring cannot feed (${meta.isTensor ? meta.type : 'not a tensor'})`,
        )
      }
      out.set(meta.name, type)
    }
    return out
  }

  /** Outputs onnxruntime can return as tensors (a ZipMap's sequence of maps is not one). */
  get tensorOutputs(): string[] {
    return this.session.outputMetadata.filter((m) => m.isTensor).map((m) => m.name)
  }

  /** The graph's inputs for one batch, shaped as the graph declares them. */
  inputs(
    feeds: ReadonlyMap<string, { type: FeedType; data: FeedArray }>,
    rows: number,
  ): BatchInput[] {
    return this.session.inputMetadata.map((meta) => {
      const feed = feeds.get(meta.name)
      if (feed === undefined) throw new InvalidParameterError(`missing input '${meta.name}'`)
      // Ballast's models take [N, 1] columns; imported ones may take [N].
      const dims = meta.isTensor && meta.shape.length === 1 ? [rows] : [rows, 1]
      return { name: meta.name, type: feed.type, data: feed.data, dims }
    })
  }

  async run(
    feeds: ReadonlyMap<string, { type: FeedType; data: FeedArray }>,
    rows: number,
    outputs: readonly string[],
  ): Promise<Record<string, BatchOutput>> {
    return this.runInputs(this.inputs(feeds, rows), outputs)
  }

  async runInputs(
    inputs: readonly BatchInput[],
    outputs: readonly string[],
  ): Promise<Record<string, BatchOutput>> {
    const tensors: Record<string, ort.Tensor> = {}
    for (const input of inputs) {
      tensors[input.name] = new ort.Tensor(input.type, input.data, input.dims)
    }
    const results = await this.session.run(tensors, [...outputs])
    const out: Record<string, BatchOutput> = {}
    for (const [name, tensor] of Object.entries(results)) {
      out[name] = { dims: tensor.dims, data: tensor.data as BatchOutput['data'] }
    }
    return out
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}

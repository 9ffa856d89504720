import * as ort from 'onnxruntime-node'
import { InvalidParameterError } from '@ballast/contracts'

export type OnnxFeed = Float32Array | BigInt64Array | string[]

/** An output as plain values: numbers (int64 converted), strings or booleans, row-major. */
export interface OnnxOutput {
  dims: number[]
  values: number[] | string[] | boolean[]
}

/**
 * A loaded ONNX model. Thin on purpose: it shapes feeds as [rows, values / rows] and hands back
 * plain arrays, so callers never touch onnxruntime's tensor types.
 */
export class OnnxModel {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(bytes: Uint8Array): Promise<OnnxModel> {
    // One intra-op thread, as serving and batch scoring run it: with more, onnxruntime adds a
    // large ensemble's trees in another order, and the answers would depend on the machine.
    return new OnnxModel(await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 }))
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames
  }

  /** Outputs onnxruntime-node can return (tensors); ZipMap's seq(map) outputs are not among them. */
  get tensorOutputNames(): string[] {
    return this.session.outputMetadata.filter((m) => m.isTensor).map((m) => m.name)
  }

  async run(feeds: Record<string, OnnxFeed>, rows: number): Promise<Record<string, OnnxOutput>> {
    if (!Number.isInteger(rows) || rows < 1) {
      throw new InvalidParameterError(`rows must be a positive integer, got ${rows}`)
    }
    const tensors: Record<string, ort.Tensor> = {}
    for (const name of this.session.inputNames) {
      const feed = feeds[name]
      if (feed === undefined) throw new InvalidParameterError(`missing input '${name}'`)
      if (feed.length % rows !== 0) {
        throw new InvalidParameterError(
          `input '${name}' has ${feed.length} values, not a multiple of ${rows} rows`,
        )
      }
      const dims = this.feedDims(name, rows, feed.length / rows)
      tensors[name] = Array.isArray(feed)
        ? new ort.Tensor('string', feed, dims)
        : feed instanceof Float32Array
          ? new ort.Tensor('float32', feed, dims)
          : new ort.Tensor('int64', feed, dims)
    }
    const results = await this.session.run(tensors, this.tensorOutputNames)
    const outputs: Record<string, OnnxOutput> = {}
    for (const [name, value] of Object.entries(results)) {
      const tensor = value
      outputs[name] = { dims: [...tensor.dims], values: plainValues(tensor) }
    }
    return outputs
  }

  // Ballast's own models take [N, 1] columns; imported ones may declare [N] or [N, d1, d2, …].
  private feedDims(name: string, rows: number, perRow: number): number[] {
    const meta = this.session.inputMetadata.find((m) => m.name === name)
    if (!meta?.isTensor) return [rows, perRow]
    const rest = meta.shape.slice(1)
    if (rest.length === 0 && perRow === 1) return [rows]
    const fixed = rest.every((d): d is number => typeof d === 'number' && d >= 0)
    const size = fixed ? rest.reduce((p: number, d) => p * d, 1) : -1
    return fixed && rest.length > 1 && size === perRow ? [rows, ...rest] : [rows, perRow]
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}

function plainValues(tensor: ort.Tensor): number[] | string[] | boolean[] {
  const data = tensor.data
  if (tensor.type === 'string') return [...(data as string[])]
  if (tensor.type === 'bool') return Array.from(data as Uint8Array, (v) => v !== 0)
  if (data instanceof BigInt64Array || data instanceof BigUint64Array)
    return Array.from(data, Number)
  return Array.from(data as ArrayLike<number>)
}

import { InvalidParameterError } from '@ballast/contracts'
import type { GbdtModelJson } from './gbdt-json.js'
import { softmaxInPlace } from './losses.js'

/**
 * A trained GBDT ready for prediction: every tree flattened into shared typed arrays, so a row's
 * prediction walks numbers only and allocates nothing.
 */
export class GbdtModel {
  readonly numOutputs: number
  readonly numFeatures: number
  private readonly roots: Int32Array
  private readonly feature: Int32Array
  private readonly threshold: Float64Array
  private readonly defaultLeft: Uint8Array
  private readonly left: Int32Array
  private readonly right: Int32Array
  private readonly value: Float64Array
  /** 0 numeric, 1 categorical as a bitset over small integer codes, 2 categorical as a Set. */
  private readonly kind: Uint8Array
  private readonly catStart: Int32Array
  private readonly catWords: Int32Array
  private readonly catBits: Uint32Array
  private readonly catSets: (Set<number> | null)[]

  constructor(readonly json: GbdtModelJson) {
    this.numOutputs = json.numOutputs
    this.numFeatures = json.numFeatures
    const total = json.trees.reduce((n, t) => n + t.feature.length, 0)
    this.roots = new Int32Array(json.trees.length)
    this.feature = new Int32Array(total)
    this.threshold = new Float64Array(total)
    this.defaultLeft = new Uint8Array(total)
    this.left = new Int32Array(total)
    this.right = new Int32Array(total)
    this.value = new Float64Array(total)
    this.kind = new Uint8Array(total)
    this.catStart = new Int32Array(total)
    this.catWords = new Int32Array(total)
    this.catSets = new Array<Set<number> | null>(total).fill(null)
    const bits: number[] = []
    let base = 0
    json.trees.forEach((t, ti) => {
      this.roots[ti] = base
      for (let i = 0; i < t.feature.length; i++) {
        const n = base + i
        this.feature[n] = t.feature[i]!
        this.threshold[n] = t.threshold[i]!
        this.defaultLeft[n] = t.defaultLeft[i] ? 1 : 0
        this.left[n] = base + t.left[i]!
        this.right[n] = base + t.right[i]!
        this.value[n] = t.value[i]!
        const cats = t.categories[i]
        if (!cats) continue
        if (cats.every((c) => Number.isInteger(c) && c >= 0 && c < 1 << 16)) {
          const words = (Math.max(0, ...cats) >>> 5) + 1
          this.kind[n] = 1
          this.catStart[n] = bits.length
          this.catWords[n] = words
          for (let w = 0; w < words; w++) bits.push(0)
          for (const c of cats) bits[this.catStart[n] + (c >>> 5)]! |= 1 << (c & 31)
        } else {
          this.kind[n] = 2
          this.catSets[n] = new Set(cats)
        }
      }
      base += t.feature.length
    })
    this.catBits = Uint32Array.from(bits, (b) => b >>> 0)
  }

  get objective(): GbdtModelJson['objective'] {
    return this.json.objective
  }

  /** Leaf value of tree t for one row. */
  private leafValue(t: number, row: Float64Array): number {
    const { feature, threshold, left, right, kind } = this
    let n = this.roots[t]!
    for (let f = feature[n]!; f >= 0; f = feature[n]!) {
      const x = row[f]!
      const k = kind[n]!
      let goLeft: boolean
      if (k === 0) goLeft = x <= threshold[n]! || (x !== x && this.defaultLeft[n] === 1)
      else if (k === 1) {
        const word = x >>> 5
        goLeft =
          x === x >>> 0 &&
          word < this.catWords[n]! &&
          ((this.catBits[this.catStart[n]! + word]! >>> (x & 31)) & 1) === 1
      } else goLeft = this.catSets[n]!.has(x)
      n = goLeft ? left[n]! : right[n]!
    }
    return this.value[n]!
  }

  /** Raw scores (before sigmoid / softmax) of one row into out[0, numOutputs). */
  predictRowRaw(row: Float64Array, out: Float64Array): void {
    const K = this.numOutputs
    for (let k = 0; k < K; k++) out[k] = this.json.baseScore[k]!
    const trees = this.roots.length
    for (let t = 0; t < trees; t++) out[t % K]! += this.leafValue(t, row)
  }

  private readonly scratch = new Float64Array(64)

  /**
   * One row: the regression value or the probability of class 1. For multiclass, writes the
   * class probabilities into `out` (required) and returns the most probable class.
   */
  predictRow(row: Float64Array, out?: Float64Array): number {
    const K = this.numOutputs
    if (K === 1) {
      let s = this.json.baseScore[0]!
      const trees = this.roots.length
      for (let t = 0; t < trees; t++) s += this.leafValue(t, row)
      return this.json.objective === 'binary' ? 1 / (1 + Math.exp(-s)) : s
    }
    if (!out || out.length < K) {
      throw new InvalidParameterError(`predictRow of a ${K}-class model needs 'out' of length ${K}`)
    }
    this.predictRowRaw(row, out)
    return softmaxInPlace(out, 0, K)
  }

  /** Raw scores of column-major rows: n values, or n × K row-major for multiclass. */
  predictRaw(features: Float64Array[]): Float64Array {
    if (features.length !== this.numFeatures) {
      throw new InvalidParameterError(
        `expected ${this.numFeatures} feature columns, got ${features.length}`,
      )
    }
    const n = features[0]?.length ?? 0
    const K = this.numOutputs
    const out = new Float64Array(n * K)
    const row = new Float64Array(this.numFeatures)
    const scores = K <= this.scratch.length ? this.scratch : new Float64Array(K)
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < row.length; f++) row[f] = features[f]![i]!
      this.predictRowRaw(row, scores)
      for (let k = 0; k < K; k++) out[i * K + k] = scores[k]!
    }
    return out
  }

  /** Values (regression), P(class 1) (binary) or n × K class probabilities (multiclass). */
  predict(features: Float64Array[]): Float64Array {
    const raw = this.predictRaw(features)
    if (this.json.objective === 'regression') return raw
    if (this.json.objective === 'binary') return raw.map((s) => 1 / (1 + Math.exp(-s)))
    const K = this.numOutputs
    for (let i = 0; i < raw.length; i += K) softmaxInPlace(raw, i, K)
    return raw
  }

  /** Total split gain per feature. */
  featureImportance(): Float64Array {
    const out = new Float64Array(this.numFeatures)
    for (const t of this.json.trees) {
      t.feature.forEach((f, i) => {
        if (f >= 0) out[f]! += t.gain[i]!
      })
    }
    return out
  }

  get trainLoss(): number[] {
    return this.json.trainLoss
  }

  get validLoss(): number[] {
    return this.json.validLoss
  }

  get bestIteration(): number {
    return this.json.bestIteration
  }

  toJSON(): GbdtModelJson {
    return this.json
  }
}

import type { GbdtTreeJson } from './gbdt-json.js'
import type { ResolvedGbdtParams } from './gbdt-params.js'
import { findBestSplit, type Split, type SplitContext } from './split-finder.js'

/**
 * The training data once binned, in two layouts: row-major (row r's bin of feature f at
 * r × F + f) for histograms, which read every feature of a row, and one column per feature for
 * partitioning, which reads one feature of many rows.
 */
export interface BinnedData {
  rowBins: Uint8Array
  colBins: Uint8Array[]
  numFeatures: number
  ctx: SplitContext
  totalSlots: number
  numRows: number
}

interface Leaf {
  node: number
  start: number
  end: number
  depth: number
  g: number
  h: number
  hist: Float64Array | null
  split: Split | null
}

/**
 * Grows one tree leaf-wise (LightGBM's best-first order): the leaf whose best split has the
 * highest gain is split next, until maxLeaves leaves or no split has positive gain; maxDepth
 * bounds the depth. With maxLeaves >= 2^maxDepth and positive gains this yields the full
 * depth-wise tree. Buffers are reused across trees; per-row work touches typed arrays only.
 */
export class TreeBuilder {
  private readonly pool: Float64Array[] = []
  private readonly tmp: Uint32Array
  private readonly offsets: Int32Array
  private readonly lut = new Uint8Array(256)

  constructor(
    private readonly data: BinnedData,
    private readonly params: ResolvedGbdtParams,
  ) {
    this.tmp = new Uint32Array(data.numRows)
    this.offsets = new Int32Array(data.numFeatures)
  }

  /**
   * Builds a tree on rows[0, count), reordering them in place so that each leaf's rows are
   * contiguous; returns the tree and each leaf's row range and value.
   */
  build(
    rows: Uint32Array,
    count: number,
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
  ): { tree: GbdtTreeJson; leaves: { start: number; end: number; value: number }[] } {
    const p = this.params
    const tree: GbdtTreeJson = {
      feature: [],
      threshold: [],
      categories: [],
      defaultLeft: [],
      left: [],
      right: [],
      value: [],
      gain: [],
      count: [],
    }
    let g = 0
    let h = 0
    for (let i = 0; i < count; i++) {
      g += grad[rows[i]!]!
      h += hess[rows[i]!]!
    }
    const root: Leaf = {
      node: this.addNode(tree, count),
      start: 0,
      end: count,
      depth: 0,
      g,
      h,
      hist: null,
      split: null,
    }
    this.prepare(root, null, rows, grad, hess, features)
    const leaves: Leaf[] = [root]
    while (leaves.length < p.maxLeaves) {
      let best = -1
      for (let i = 0; i < leaves.length; i++) {
        const s = leaves[i]!.split
        if (s && (best < 0 || s.gain > leaves[best]!.split!.gain)) best = i
      }
      if (best < 0) break
      const leaf = leaves[best]!
      const split = leaf.split!
      const mid = this.partition(rows, leaf.start, leaf.end, split)
      this.setSplit(tree, leaf.node, split)
      const left: Leaf = {
        node: this.addNode(tree, mid - leaf.start),
        start: leaf.start,
        end: mid,
        depth: leaf.depth + 1,
        g: split.gl,
        h: split.hl,
        hist: null,
        split: null,
      }
      const right: Leaf = {
        node: this.addNode(tree, leaf.end - mid),
        start: mid,
        end: leaf.end,
        depth: leaf.depth + 1,
        g: leaf.g - split.gl,
        h: leaf.h - split.hl,
        hist: null,
        split: null,
      }
      tree.left[leaf.node] = left.node
      tree.right[leaf.node] = right.node
      const [small, large] =
        left.end - left.start <= right.end - right.start ? [left, right] : [right, left]
      if (this.canSplit(left) || this.canSplit(right)) {
        // Histogram subtraction: build the smaller child, the larger is parent − smaller.
        const sh = this.buildHistogram(rows, small.start, small.end, grad, hess, features)
        const lh = leaf.hist!
        leaf.hist = null
        for (let i = 0; i < lh.length; i++) lh[i]! -= sh[i]!
        this.prepare(small, sh, rows, grad, hess, features)
        this.prepare(large, lh, rows, grad, hess, features)
      } else this.release(leaf)
      leaves.splice(best, 1, left, right)
    }
    const out: { start: number; end: number; value: number }[] = []
    for (const leaf of leaves) {
      this.release(leaf)
      const value = (-leaf.g / (leaf.h + p.lambda)) * p.learningRate
      tree.value[leaf.node] = value
      out.push({ start: leaf.start, end: leaf.end, value })
    }
    return { tree, leaves: out }
  }

  private canSplit(leaf: Leaf): boolean {
    const p = this.params
    return (
      (p.maxDepth < 0 || leaf.depth < p.maxDepth) && leaf.end - leaf.start >= 2 * p.minChildSamples
    )
  }

  /** Gives the leaf a histogram (built, or the one passed) and its best split, if it may split. */
  private prepare(
    leaf: Leaf,
    hist: Float64Array | null,
    rows: Uint32Array,
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
  ): void {
    if (!this.canSplit(leaf)) {
      if (hist) this.pool.push(hist)
      return
    }
    leaf.hist = hist ?? this.buildHistogram(rows, leaf.start, leaf.end, grad, hess, features)
    leaf.split = findBestSplit(
      this.data.ctx,
      leaf.hist,
      features,
      leaf.g,
      leaf.h,
      leaf.end - leaf.start,
      this.params.minSplitGain,
    )
    if (!leaf.split) this.release(leaf)
  }

  private release(leaf: Leaf): void {
    if (leaf.hist) this.pool.push(leaf.hist)
    leaf.hist = null
  }

  private buildHistogram(
    rows: Uint32Array,
    start: number,
    end: number,
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
  ): Float64Array {
    const hist = this.pool.pop() ?? new Float64Array(this.data.totalSlots * 3)
    hist.fill(0)
    // Row-major bins: one row's bins share a cache line, so each row costs one random access.
    const { rowBins, numFeatures: F } = this.data
    const nf = features.length
    const offsets = this.offsets
    for (let fi = 0; fi < nf; fi++) offsets[fi] = this.data.ctx.slotOffset[features[fi]!]! * 3
    if (nf === F) {
      for (let i = start; i < end; i++) {
        const r = rows[i]!
        const g = grad[r]!
        const h = hess[r]!
        const base = r * F
        for (let f = 0; f < F; f++) {
          const s = offsets[f]! + rowBins[base + f]! * 3
          hist[s]! += g
          hist[s + 1]! += h
          hist[s + 2]! += 1
        }
      }
      return hist
    }
    for (let i = start; i < end; i++) {
      const r = rows[i]!
      const g = grad[r]!
      const h = hess[r]!
      const base = r * F
      for (let fi = 0; fi < nf; fi++) {
        const s = offsets[fi]! + rowBins[base + features[fi]!]! * 3
        hist[s]! += g
        hist[s + 1]! += h
        hist[s + 2]! += 1
      }
    }
    return hist
  }

  /** Stable in-place partition of rows[start, end): left rows first; returns the boundary. */
  private partition(rows: Uint32Array, start: number, end: number, split: Split): number {
    const feature = split.feature
    const bins = this.data.colBins[feature]!
    const missing = this.data.ctx.bins[feature]!.numBins
    // One lookup per row: which bins go left, whatever the kind of split.
    const lut = this.lut
    for (let b = 0; b <= missing; b++) lut[b] = goesLeft(b, split, missing) ? 1 : 0
    const tmp = this.tmp
    let w = start
    let k = 0
    for (let i = start; i < end; i++) {
      // Branch-free: the side is data-dependent and would defeat branch prediction.
      const r = rows[i]!
      const l = lut[bins[r]!]!
      rows[w] = r
      tmp[k] = r
      w += l
      k += 1 - l
    }
    rows.set(tmp.subarray(0, k), w)
    return w
  }

  private addNode(tree: GbdtTreeJson, count: number): number {
    tree.feature.push(-1)
    tree.threshold.push(0)
    tree.categories.push(null)
    tree.defaultLeft.push(false)
    tree.left.push(-1)
    tree.right.push(-1)
    tree.value.push(0)
    tree.gain.push(0)
    tree.count.push(count)
    return tree.feature.length - 1
  }

  private setSplit(tree: GbdtTreeJson, node: number, split: Split): void {
    const fb = this.data.ctx.bins[split.feature]!
    tree.feature[node] = split.feature
    tree.gain[node] = split.gain
    tree.defaultLeft[node] = split.defaultLeft
    if (split.leftBins) {
      const cats: number[] = []
      for (let b = 0; b < fb.numBins; b++) if (split.leftBins[b] === 1) cats.push(fb.categories[b]!)
      tree.categories[node] = cats.sort((a, b) => a - b)
    } else tree.threshold[node] = fb.upperBounds[split.thresholdBin]!
  }
}

export function goesLeft(bin: number, split: Split, missing: number): boolean {
  if (split.leftBins) return split.leftBins[bin] === 1
  return bin === missing ? split.defaultLeft : bin <= split.thresholdBin
}

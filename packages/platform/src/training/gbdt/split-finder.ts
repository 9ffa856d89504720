import type { FeatureBins } from './bin-mapper.js'

/**
 * Histograms hold three numbers per bin slot (sum of gradients, sum of hessians, row count);
 * feature f's slots start at slotOffset[f] and run numBins + 1 long, the last being "missing".
 */
export interface SplitContext {
  bins: FeatureBins[]
  slotOffset: Int32Array
  lambda: number
  minChildSamples: number
  minChildWeight: number
  catSmooth: number
  maxCatOneHot: number
  /** Most categories a set split sends left. */
  maxCatThreshold: number
}

export interface Split {
  feature: number
  gain: number
  /** Numeric: rows with bin <= thresholdBin go left (-1 for categorical splits). */
  thresholdBin: number
  defaultLeft: boolean
  /** Categorical: 1 for the bins that go left (the missing slot is always 0). */
  leftBins: Uint8Array | null
  gl: number
  hl: number
  cl: number
}

/** Keeps the best candidate seen; gain = GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ). */
class SplitSearch {
  best: Split | null = null
  private bestGain: number
  private readonly parent: number

  constructor(
    private readonly ctx: SplitContext,
    private readonly G: number,
    private readonly H: number,
    private readonly C: number,
    minGain: number,
  ) {
    this.bestGain = minGain
    this.parent = (G * G) / (H + ctx.lambda)
  }

  consider(
    f: number,
    gl: number,
    hl: number,
    cl: number,
    bin: number,
    defaultLeft: boolean,
  ): boolean {
    const { lambda, minChildSamples, minChildWeight } = this.ctx
    const cr = this.C - cl
    const hr = this.H - hl
    if (cl < minChildSamples || cr < minChildSamples) return false
    if (hl < minChildWeight || hr < minChildWeight) return false
    const gr = this.G - gl
    const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - this.parent
    if (!(gain > this.bestGain)) return false
    this.bestGain = gain
    this.best = { feature: f, gain, thresholdBin: bin, defaultLeft, leftBins: null, gl, hl, cl }
    return true
  }
}

/** The split of highest gain (above minGain) over the given features, or null. */
export function findBestSplit(
  ctx: SplitContext,
  hist: Float64Array,
  features: Int32Array,
  G: number,
  H: number,
  C: number,
  minGain: number,
): Split | null {
  const search = new SplitSearch(ctx, G, H, C, minGain)
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi]!
    const fb = ctx.bins[f]!
    const off = ctx.slotOffset[f]! * 3
    const nb = fb.numBins
    if (fb.categorical) {
      findCategorical(ctx, search, hist, f, off, nb)
      continue
    }
    const gm = hist[off + nb * 3]!
    const hm = hist[off + nb * 3 + 1]!
    const cm = hist[off + nb * 3 + 2]!
    let gl = 0
    let hl = 0
    let cl = 0
    for (let b = 0; b < nb - 1; b++) {
      const s = off + b * 3
      gl += hist[s]!
      hl += hist[s + 1]!
      cl += hist[s + 2]!
      if (hist[s + 2] === 0) continue // the same partition as the previous bound
      search.consider(f, gl, hl, cl, b, false)
      if (cm > 0) search.consider(f, gl + gm, hl + hm, cl + cm, b, true)
    }
  }
  return search.best
}

/**
 * LightGBM-style categorical split: with few categories, one category against the rest;
 * otherwise the categories sorted by G/(H + catSmooth) and each prefix of that order (from
 * either end) of at most maxCatThreshold categories tried as the left set. Missing and unseen
 * categories always go right.
 */
function findCategorical(
  ctx: SplitContext,
  search: SplitSearch,
  hist: Float64Array,
  f: number,
  off: number,
  nb: number,
): void {
  const present: number[] = []
  for (let b = 0; b < nb; b++) if (hist[off + b * 3 + 2]! > 0) present.push(b)
  if (present.length < 2) return
  const choose = (bins: number[]): void => {
    const mask = new Uint8Array(nb + 1)
    for (const b of bins) mask[b] = 1
    search.best!.leftBins = mask
  }
  if (present.length <= ctx.maxCatOneHot) {
    for (const b of present) {
      const s = off + b * 3
      if (search.consider(f, hist[s]!, hist[s + 1]!, hist[s + 2]!, -1, false)) choose([b])
    }
    return
  }
  const ratio = new Float64Array(nb)
  for (const b of present) ratio[b] = hist[off + b * 3]! / (hist[off + b * 3 + 1]! + ctx.catSmooth)
  const order = present.sort((a, b) => ratio[a]! - ratio[b]! || a - b)
  const last = order.length - 1
  const longest = Math.min(last, ctx.maxCatThreshold)
  // The mask is built once, for the best prefix, not at every improvement along the scan.
  let bestPrefix = 0
  let bestFromStart = true
  for (const fromStart of [true, false]) {
    let gl = 0
    let hl = 0
    let cl = 0
    for (let i = 0; i < longest; i++) {
      const s = off + order[fromStart ? i : last - i]! * 3
      gl += hist[s]!
      hl += hist[s + 1]!
      cl += hist[s + 2]!
      if (search.consider(f, gl, hl, cl, -1, false)) {
        bestPrefix = i + 1
        bestFromStart = fromStart
      }
    }
  }
  if (bestPrefix > 0) {
    choose(bestFromStart ? order.slice(0, bestPrefix) : order.slice(last + 1 - bestPrefix))
  }
}

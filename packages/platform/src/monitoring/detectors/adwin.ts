import {
  type AdwinState,
  DETECTOR_STATE_VERSION,
  encodeNumber,
  encodeNumbers,
  StateReader,
} from './detector-state-format.js'
import { checkOption, type DriftDetector } from './drift-detector.js'

export interface AdwinOptions {
  /** Confidence value of each cut (River's default 0.002). */
  delta?: number
  /** Cuts are checked every `clock` values (default 32). */
  clock?: number
  /** Buckets of each size kept before two are merged (default 5). */
  maxBuckets?: number
  /** Shortest sub-window a cut may leave on either side (default 5). */
  minWindowLength?: number
  /** No cut is checked until the window holds more than this many values (default 10). */
  gracePeriod?: number
}

/** One row of the exponential histogram: up to maxBuckets + 1 buckets of 2^row values each. */
class BucketRow {
  readonly totals: Float64Array
  readonly variances: Float64Array
  count = 0

  constructor(maxBuckets: number) {
    this.totals = new Float64Array(maxBuckets + 1)
    this.variances = new Float64Array(maxBuckets + 1)
  }

  insert(total: number, variance: number): void {
    this.totals[this.count] = total
    this.variances[this.count] = variance
    this.count++
  }

  /** Drops the `n` oldest buckets. */
  shift(n: number): void {
    this.totals.copyWithin(0, n, this.count)
    this.variances.copyWithin(0, n, this.count)
    this.totals.fill(0, this.count - n, this.count)
    this.variances.fill(0, this.count - n, this.count)
    this.count -= n
  }
}

/**
 * ADWIN (Bifet & Gavaldà 2007) as River implements it: an exponential histogram of buckets
 * (row i holds buckets of 2^i values, newest first), a cut check every `clock` values once the
 * window is longer than `gracePeriod`, and, after a drift, a fresh window on the next value.
 * The arithmetic follows River's operation for operation so drift indices agree on any stream.
 */
export class Adwin implements DriftDetector {
  readonly name = 'ADWIN'
  readonly delta: number
  readonly clock: number
  readonly maxBuckets: number
  readonly minWindowLength: number
  readonly gracePeriod: number
  readonly warningDetected = false

  private rows: BucketRow[] = []
  private tick = 0
  private _driftDetected = false
  private _width = 0
  private _total = 0
  private _variance = 0
  private _nDetections = 0

  constructor(options: AdwinOptions = {}) {
    this.delta = options.delta ?? 0.002
    this.clock = options.clock ?? 32
    this.maxBuckets = options.maxBuckets ?? 5
    this.minWindowLength = options.minWindowLength ?? 5
    this.gracePeriod = options.gracePeriod ?? 10
    checkOption('ADWIN', 'delta', this.delta, { minExclusive: 0, maxExclusive: 1 })
    checkOption('ADWIN', 'clock', this.clock, { integer: true, min: 1 })
    checkOption('ADWIN', 'maxBuckets', this.maxBuckets, { integer: true, min: 1 })
    checkOption('ADWIN', 'minWindowLength', this.minWindowLength, { integer: true, min: 1 })
    checkOption('ADWIN', 'gracePeriod', this.gracePeriod, { integer: true, min: 0 })
    this.reset()
  }

  get driftDetected(): boolean {
    return this._driftDetected
  }
  /** Number of values in the window. */
  get width(): number {
    return this._width
  }
  /** Sum of the values in the window. */
  get total(): number {
    return this._total
  }
  /** Sum of squared deviations from the window mean (not divided by the width), as River's. */
  get variance(): number {
    return this._variance
  }
  /** Mean of the window (0 when empty). */
  get estimation(): number {
    return this._width === 0 ? 0 : this._total / this._width
  }
  /** Drifts found since the last reset (River resets after each drift, so 0 or 1). */
  get nDetections(): number {
    return this._nDetections
  }

  reset(): void {
    this.rows = [new BucketRow(this.maxBuckets)]
    this.tick = 0
    this._driftDetected = false
    this._width = 0
    this._total = 0
    this._variance = 0
    this._nDetections = 0
  }

  toState(): AdwinState {
    return {
      name: 'adwin',
      version: DETECTOR_STATE_VERSION,
      options: {
        delta: this.delta,
        clock: this.clock,
        maxBuckets: this.maxBuckets,
        minWindowLength: this.minWindowLength,
        gracePeriod: this.gracePeriod,
      },
      rows: this.rows.map((row) => ({
        totals: encodeNumbers(row.totals.subarray(0, row.count)),
        variances: encodeNumbers(row.variances.subarray(0, row.count)),
      })),
      tick: this.tick,
      driftDetected: this._driftDetected,
      width: this._width,
      total: encodeNumber(this._total),
      variance: encodeNumber(this._variance),
      nDetections: this._nDetections,
    }
  }

  /** Rebuilds a detector from `toState()`; a malformed state names the field at fault. */
  static fromState(state: unknown): Adwin {
    const r = StateReader.of(state, 'adwin')
    const o = r.object('options')
    const adwin = new Adwin({
      delta: o.number('delta'),
      clock: o.number('clock'),
      maxBuckets: o.number('maxBuckets'),
      minWindowLength: o.number('minWindowLength'),
      gracePeriod: o.number('gracePeriod'),
    })
    adwin.rows = r.list('rows').map((rowState) => {
      const row = new BucketRow(adwin.maxBuckets)
      const totals = rowState.numbers('totals', adwin.maxBuckets + 1)
      const variances = rowState.numbers('variances', totals.length)
      if (variances.length !== totals.length) {
        rowState.fail('variances', `an array of ${totals.length} numbers`, variances)
      }
      totals.forEach((t, i) => row.insert(t, variances[i] as number))
      return row
    })
    adwin.tick = r.integer('tick')
    adwin._driftDetected = r.boolean('driftDetected')
    adwin._width = r.integer('width')
    adwin._total = r.number('total')
    adwin._variance = r.number('variance')
    adwin._nDetections = r.integer('nDetections')
    return adwin
  }

  update(x: number): this {
    if (this._driftDetected) this.reset()
    this.insert(x)
    this._driftDetected = this.detectChange()
    return this
  }

  private insert(x: number): void {
    ;(this.rows[0] as BucketRow).insert(x, 0)
    this._width += 1
    if (this._width > 1) {
      const d = x - this._total / (this._width - 1)
      this._variance += ((this._width - 1) * d * d) / this._width
    }
    this._total += x
    this.compress()
  }

  /** Merges the two oldest buckets of a full row into the next row, cascading upwards. */
  private compress(): void {
    for (let idx = 0; idx < this.rows.length; idx++) {
      const row = this.rows[idx] as BucketRow
      if (row.count !== this.maxBuckets + 1) break
      let next = this.rows[idx + 1]
      if (next === undefined) {
        next = new BucketRow(this.maxBuckets)
        this.rows.push(next)
      }
      const size = 2 ** idx
      const t0 = row.totals[0] as number
      const t1 = row.totals[1] as number
      const mu1 = t0 / size
      const mu2 = t1 / size
      const between = size * 0.5 * (mu1 - mu2) * (mu1 - mu2)
      next.insert(t0 + t1, (row.variances[0] as number) + (row.variances[1] as number) + between)
      row.shift(2)
      if (next.count <= this.maxBuckets) break
    }
  }

  /** Removes the oldest bucket; returns its size. */
  private deleteOldest(): number {
    const last = this.rows.length - 1
    const row = this.rows[last] as BucketRow
    const n = 2 ** last
    const u = row.totals[0] as number
    const mu = u / n
    const v = row.variances[0] as number
    this._width -= n
    this._total -= u
    const muWindow = this._total / this._width
    this._variance -= v + (n * this._width * (mu - muWindow) * (mu - muWindow)) / (n + this._width)
    row.shift(1)
    if (row.count === 0) this.rows.pop()
    return n
  }

  private detectChange(): boolean {
    let changed = false
    this.tick += 1
    if (this.tick % this.clock !== 0 || this._width <= this.gracePeriod) return false
    let reduce = true
    while (reduce) {
      reduce = false
      let exit = false
      let n0 = 0
      let n1 = this._width
      let u0 = 0
      let u1 = this._total
      // Oldest buckets first: W0 grows from the old end, W1 is the rest.
      for (let idx = this.rows.length - 1; idx >= 0 && !exit; idx--) {
        const row = this.rows[idx] as BucketRow
        const size = 2 ** idx
        for (let k = 0; k < row.count; k++) {
          const u2 = row.totals[k] as number
          n0 += size
          n1 -= size
          u0 += u2
          u1 -= u2
          if (idx === 0 && k === row.count - 1) {
            exit = true
            break
          }
          const deltaMean = u0 / n0 - u1 / n1
          if (
            n1 >= this.minWindowLength &&
            n0 >= this.minWindowLength &&
            this.cutHolds(n0, n1, deltaMean)
          ) {
            reduce = true
            changed = true
            if (this._width > 0) {
              n0 -= this.deleteOldest()
              exit = true
              break
            }
          }
        }
      }
    }
    if (changed) this._nDetections += 1
    return changed
  }

  private cutHolds(n0: number, n1: number, deltaMean: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this._width)) / this.delta)
    const mRecip = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1)
    const epsilon =
      Math.sqrt(2 * mRecip * (this._variance / this._width) * deltaPrime) +
      (2 / 3) * deltaPrime * mRecip
    return Math.abs(deltaMean) > epsilon
  }
}

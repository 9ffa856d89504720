import { InvalidParameterError } from '@ballast/contracts'
import {
  DETECTOR_STATE_VERSION,
  encodeNumber,
  type PageHinkleyState,
  StateReader,
} from './detector-state-format.js'
import { checkOption, type DriftDetector } from './drift-detector.js'

export type PageHinkleyMode = 'up' | 'down' | 'both'

export interface PageHinkleyOptions {
  /** Values seen before a drift can be signalled (River's default 30). */
  minInstances?: number
  /** Magnitude of change tolerated (default 0.005). */
  delta?: number
  /** Drift when a cumulative deviation exceeds this (lambda, default 50). */
  threshold?: number
  /** Forgetting factor of the cumulative sums (default 1 - 0.0001). */
  alpha?: number
  /** Detect increases of the mean, decreases, or both (default 'both'). */
  mode?: PageHinkleyMode
}

const MODES: readonly PageHinkleyMode[] = ['up', 'down', 'both']

/**
 * Page-Hinkley test as River's `drift.PageHinkley`: faded cumulative sums of the deviations
 * from the running mean, one for increases and one for decreases, each compared with its
 * running extreme. No warning zone.
 */
export class PageHinkley implements DriftDetector {
  readonly name = 'PageHinkley'
  readonly minInstances: number
  readonly delta: number
  readonly threshold: number
  readonly alpha: number
  readonly mode: PageHinkleyMode
  readonly warningDetected = false

  private n = 0
  private mean = 0
  private sumIncrease = 0
  private sumDecrease = 0
  private minIncrease = Infinity
  private maxDecrease = -1
  private _driftDetected = false

  constructor(options: PageHinkleyOptions = {}) {
    this.minInstances = options.minInstances ?? 30
    this.delta = options.delta ?? 0.005
    this.threshold = options.threshold ?? 50
    this.alpha = options.alpha ?? 1 - 0.0001
    this.mode = options.mode ?? 'both'
    checkOption('PageHinkley', 'minInstances', this.minInstances, { integer: true, min: 0 })
    checkOption('PageHinkley', 'delta', this.delta, { min: 0 })
    checkOption('PageHinkley', 'threshold', this.threshold, { min: 0 })
    checkOption('PageHinkley', 'alpha', this.alpha, { min: 0, max: 1 })
    if (!MODES.includes(this.mode)) {
      throw new InvalidParameterError(
        `PageHinkley option 'mode' must be one of ${MODES.join(', ')}; got ${String(this.mode)}`,
      )
    }
  }

  get driftDetected(): boolean {
    return this._driftDetected
  }

  reset(): void {
    this.n = 0
    this.mean = 0
    this.sumIncrease = 0
    this.sumDecrease = 0
    this.minIncrease = Infinity
    this.maxDecrease = -1
    this._driftDetected = false
  }

  toState(): PageHinkleyState {
    return {
      name: 'page-hinkley',
      version: DETECTOR_STATE_VERSION,
      options: {
        minInstances: this.minInstances,
        delta: this.delta,
        threshold: this.threshold,
        alpha: this.alpha,
        mode: this.mode,
      },
      driftDetected: this._driftDetected,
      n: this.n,
      mean: encodeNumber(this.mean),
      sumIncrease: encodeNumber(this.sumIncrease),
      sumDecrease: encodeNumber(this.sumDecrease),
      minIncrease: encodeNumber(this.minIncrease),
      maxDecrease: encodeNumber(this.maxDecrease),
    }
  }

  /** Rebuilds a detector from `toState()`; a malformed state names the field at fault. */
  static fromState(state: unknown): PageHinkley {
    const r = StateReader.of(state, 'page-hinkley')
    const o = r.object('options')
    const ph = new PageHinkley({
      minInstances: o.number('minInstances'),
      delta: o.number('delta'),
      threshold: o.number('threshold'),
      alpha: o.number('alpha'),
      mode: o.oneOf('mode', MODES),
    })
    ph._driftDetected = r.boolean('driftDetected')
    ph.n = r.integer('n')
    ph.mean = r.number('mean')
    ph.sumIncrease = r.number('sumIncrease')
    ph.sumDecrease = r.number('sumDecrease')
    ph.minIncrease = r.number('minIncrease')
    ph.maxDecrease = r.number('maxDecrease')
    return ph
  }

  update(x: number): this {
    if (this._driftDetected) this.reset()
    this.n += 1
    this.mean += (x - this.mean) / this.n
    const dev = x - this.mean
    this.sumIncrease = this.alpha * this.sumIncrease + dev - this.delta
    this.sumDecrease = this.alpha * this.sumDecrease + dev + this.delta
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease
    if (this.n >= this.minInstances) {
      const up = this.sumIncrease - this.minIncrease > this.threshold
      const down = this.maxDecrease - this.sumDecrease > this.threshold
      this._driftDetected = this.mode === 'up' ? up : this.mode === 'down' ? down : up || down
    }
    return this
  }
}

import { InvalidParameterError } from '@ballast/contracts'
import {
  DETECTOR_STATE_VERSION,
  type EddmState,
  encodeNumber,
  StateReader,
} from './detector-state-format.js'
import { checkOption, type DriftDetector } from './drift-detector.js'

export interface EddmOptions {
  /** Values and errors both must exceed this before a warning or drift (River's default 30). */
  warmStart?: number
  /** Warning when (p' + 2s') / max(p' + 2s') < alpha (default 0.95). */
  alpha?: number
  /** Drift when that ratio < beta (default 0.9); beta <= alpha. */
  beta?: number
}

/**
 * EDDM (Baena-García et al. 2006) as River's `drift.binary.EDDM`: tracks the mean p' and sample
 * standard deviation s' of the distance between consecutive errors and compares p' + 2s' with its
 * maximum. Input: 1 = error, anything else = correct. The state only changes on an error, so a
 * warning persists across the correct values that follow it.
 */
export class Eddm implements DriftDetector {
  readonly name = 'EDDM'
  readonly warmStart: number
  readonly alpha: number
  readonly beta: number

  private n = 0
  private lastError = 0
  private nErrors = 0
  private p2sMax = -1
  // Welford running mean and variance (ddof = 1) of the distances between errors.
  private distanceCount = 0
  private distanceMean = 0
  private distanceVar = 0
  private _driftDetected = false
  private _warningDetected = false

  constructor(options: EddmOptions = {}) {
    this.warmStart = options.warmStart ?? 30
    this.alpha = options.alpha ?? 0.95
    this.beta = options.beta ?? 0.9
    checkOption('EDDM', 'warmStart', this.warmStart, { integer: true, min: 0 })
    checkOption('EDDM', 'alpha', this.alpha, { min: 0, max: 1 })
    checkOption('EDDM', 'beta', this.beta, { min: 0, max: 1 })
    if (this.alpha < this.beta) {
      throw new InvalidParameterError(
        `EDDM option 'alpha' (${this.alpha}) must be greater than or equal to 'beta' (${this.beta})`,
      )
    }
  }

  get driftDetected(): boolean {
    return this._driftDetected
  }
  get warningDetected(): boolean {
    return this._warningDetected
  }

  reset(): void {
    this.n = 0
    this.lastError = 0
    this.nErrors = 0
    this.p2sMax = -1
    this.distanceCount = 0
    this.distanceMean = 0
    this.distanceVar = 0
    this._driftDetected = false
    this._warningDetected = false
  }

  toState(): EddmState {
    return {
      name: 'eddm',
      version: DETECTOR_STATE_VERSION,
      options: { warmStart: this.warmStart, alpha: this.alpha, beta: this.beta },
      driftDetected: this._driftDetected,
      warningDetected: this._warningDetected,
      n: this.n,
      lastError: this.lastError,
      nErrors: this.nErrors,
      p2sMax: encodeNumber(this.p2sMax),
      distanceCount: this.distanceCount,
      distanceMean: encodeNumber(this.distanceMean),
      distanceVar: encodeNumber(this.distanceVar),
    }
  }

  /** Rebuilds a detector from `toState()`; a malformed state names the field at fault. */
  static fromState(state: unknown): Eddm {
    const r = StateReader.of(state, 'eddm')
    const o = r.object('options')
    const eddm = new Eddm({
      warmStart: o.number('warmStart'),
      alpha: o.number('alpha'),
      beta: o.number('beta'),
    })
    eddm._driftDetected = r.boolean('driftDetected')
    eddm._warningDetected = r.boolean('warningDetected')
    eddm.n = r.integer('n')
    eddm.lastError = r.integer('lastError')
    eddm.nErrors = r.integer('nErrors')
    eddm.p2sMax = r.number('p2sMax')
    eddm.distanceCount = r.integer('distanceCount')
    eddm.distanceMean = r.number('distanceMean')
    eddm.distanceVar = r.number('distanceVar')
    return eddm
  }

  update(x: number): this {
    if (this._driftDetected) this.reset()
    this.n += 1
    if (x !== 1) return this
    this.nErrors += 1
    this.addDistance(this.n - this.lastError)
    if (this.n > this.warmStart) {
      const p2s = this.distanceMean + 2 * Math.sqrt(this.distanceVar)
      if (p2s > this.p2sMax) {
        this.p2sMax = p2s
      } else if (this.nErrors > this.warmStart) {
        const level = p2s / this.p2sMax
        if (level < this.beta) this._driftDetected = true
        else this._warningDetected = level < this.alpha
      }
    }
    this.lastError = this.n
    return this
  }

  private addDistance(d: number): void {
    const before = this.distanceMean
    this.distanceCount += 1
    this.distanceMean += (d - this.distanceMean) / this.distanceCount
    if (this.distanceCount > 1) {
      this.distanceVar +=
        ((d - before) * (d - this.distanceMean) - this.distanceVar) / (this.distanceCount - 1)
    }
  }
}

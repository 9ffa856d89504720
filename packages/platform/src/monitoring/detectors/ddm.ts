import {
  type DdmState,
  DETECTOR_STATE_VERSION,
  encodeNumber,
  StateReader,
} from './detector-state-format.js'
import { checkOption, type DriftDetector } from './drift-detector.js'

export interface DdmOptions {
  /** Values seen before a warning or drift can be signalled (River's default 30). */
  warmStart?: number
  /** Warning when p + s > p_min + warningThreshold · s_min (default 2). */
  warningThreshold?: number
  /** Drift when p + s > p_min + driftThreshold · s_min (default 3). */
  driftThreshold?: number
}

/**
 * DDM (Gama et al. 2004) as River's `drift.binary.DDM`: the running error rate p and its
 * Bernoulli standard deviation s = sqrt(p(1 - p)/n); p_min and s_min are taken where p + s was
 * lowest (ties move the minimum forward). Input: 1 = error, 0 = correct.
 */
export class Ddm implements DriftDetector {
  readonly name = 'DDM'
  readonly warmStart: number
  readonly warningThreshold: number
  readonly driftThreshold: number

  private n = 0
  private mean = 0
  private pMin = Infinity
  private sMin = Infinity
  private psMin = Infinity
  private _driftDetected = false
  private _warningDetected = false

  constructor(options: DdmOptions = {}) {
    this.warmStart = options.warmStart ?? 30
    this.warningThreshold = options.warningThreshold ?? 2
    this.driftThreshold = options.driftThreshold ?? 3
    checkOption('DDM', 'warmStart', this.warmStart, { integer: true, min: 0 })
    checkOption('DDM', 'warningThreshold', this.warningThreshold, { min: 0 })
    checkOption('DDM', 'driftThreshold', this.driftThreshold, { min: 0 })
  }

  get driftDetected(): boolean {
    return this._driftDetected
  }
  get warningDetected(): boolean {
    return this._warningDetected
  }
  /** Running error rate. */
  get errorRate(): number {
    return this.mean
  }

  reset(): void {
    this.n = 0
    this.mean = 0
    this.pMin = Infinity
    this.sMin = Infinity
    this.psMin = Infinity
    this._driftDetected = false
    this._warningDetected = false
  }

  toState(): DdmState {
    return {
      name: 'ddm',
      version: DETECTOR_STATE_VERSION,
      options: {
        warmStart: this.warmStart,
        warningThreshold: this.warningThreshold,
        driftThreshold: this.driftThreshold,
      },
      driftDetected: this._driftDetected,
      warningDetected: this._warningDetected,
      n: this.n,
      mean: encodeNumber(this.mean),
      pMin: encodeNumber(this.pMin),
      sMin: encodeNumber(this.sMin),
      psMin: encodeNumber(this.psMin),
    }
  }

  /** Rebuilds a detector from `toState()`; a malformed state names the field at fault. */
  static fromState(state: unknown): Ddm {
    const r = StateReader.of(state, 'ddm')
    const o = r.object('options')
    const ddm = new Ddm({
      warmStart: o.number('warmStart'),
      warningThreshold: o.number('warningThreshold'),
      driftThreshold: o.number('driftThreshold'),
    })
    ddm._driftDetected = r.boolean('driftDetected')
    ddm._warningDetected = r.boolean('warningDetected')
    ddm.n = r.integer('n')
    ddm.mean = r.number('mean')
    ddm.pMin = r.number('pMin')
    ddm.sMin = r.number('sMin')
    ddm.psMin = r.number('psMin')
    return ddm
  }

  update(x: number): this {
    if (this._driftDetected) this.reset()
    this.n += 1
    this.mean += (x - this.mean) / this.n
    const p = this.mean
    const s = Math.sqrt((p * (1 - p)) / this.n)
    if (this.n > this.warmStart) {
      if (p + s <= this.psMin) {
        this.pMin = p
        this.sMin = s
        this.psMin = this.pMin + this.sMin
      }
      this._warningDetected = p + s > this.pMin + this.warningThreshold * this.sMin
      if (p + s > this.pMin + this.driftThreshold * this.sMin) {
        this._driftDetected = true
        this._warningDetected = false
      }
    }
    return this
  }
}

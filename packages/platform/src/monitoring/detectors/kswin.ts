import { InvalidParameterError } from '@ballast/contracts'
import { ksTwoSample } from '../drift/math/ks-two-sample.js'
import {
  DETECTOR_STATE_VERSION,
  encodeNumber,
  encodeNumbers,
  type KswinState,
  StateReader,
} from './detector-state-format.js'
import { checkOption, type DriftDetector } from './drift-detector.js'
import { MT_WORDS, PythonRandom } from './python-random.js'

export interface KswinOptions {
  /** Significance level of the KS test (River's default 0.005). */
  alpha?: number
  /** Length of the sliding window (default 100). */
  windowSize?: number
  /** Length of the most recent part compared with a sample of the older part (default 30). */
  statSize?: number
  /**
   * Integer seed of the sampler. With a seed the draws are those of Python's
   * `random.Random(seed)`, so drift indices equal River's `KSWIN(seed=seed)`; without one they
   * are random and match River's only in distribution.
   */
  seed?: number
  /** Values already collected, to avoid a cold start (the last `windowSize` are kept). */
  window?: ArrayLike<number>
}

/**
 * KSWIN (Raab et al. 2020) as River's `drift.KSWIN`: once the sliding window is full, the last
 * `statSize` values are compared by a two-sample KS test with `statSize` values drawn without
 * replacement from the rest; drift when p <= alpha and D > 0.1. After a drift the window keeps
 * only the recent part and the sampler restarts from its seed. No warning zone.
 */
export class Kswin implements DriftDetector {
  readonly name = 'KSWIN'
  readonly alpha: number
  readonly windowSize: number
  readonly statSize: number
  readonly seed: number | undefined
  readonly warningDetected = false

  private readonly buffer: Float64Array
  private start = 0
  private length = 0
  private rng: PythonRandom
  private readonly picks: Int32Array
  private readonly sampled: Float64Array
  private readonly recent: Float64Array
  private _pValue = 0
  private _statistic = 0
  private _n = 0
  private _driftDetected = false

  constructor(options: KswinOptions = {}) {
    this.alpha = options.alpha ?? 0.005
    this.windowSize = options.windowSize ?? 100
    this.statSize = options.statSize ?? 30
    this.seed = options.seed
    checkOption('KSWIN', 'alpha', this.alpha, { min: 0, max: 1 })
    checkOption('KSWIN', 'windowSize', this.windowSize, { integer: true, min: 1 })
    checkOption('KSWIN', 'statSize', this.statSize, { integer: true, min: 1 })
    if (this.statSize >= this.windowSize) {
      throw new InvalidParameterError(
        `KSWIN option 'statSize' (${this.statSize}) must be smaller than 'windowSize' (${this.windowSize})`,
      )
    }
    if (this.seed !== undefined) checkOption('KSWIN', 'seed', this.seed, { integer: true })
    this.buffer = new Float64Array(this.windowSize)
    this.picks = new Int32Array(this.statSize)
    this.sampled = new Float64Array(this.statSize)
    this.recent = new Float64Array(this.statSize)
    this.rng = new PythonRandom(this.seed)
    this.reset()
    if (options.window !== undefined) {
      const w = options.window
      for (let i = Math.max(0, w.length - this.windowSize); i < w.length; i++)
        this.push(w[i] as number)
    }
  }

  get driftDetected(): boolean {
    return this._driftDetected
  }
  /** p-value of the last KS test (0 before the first one, as River's). */
  get pValue(): number {
    return this._pValue
  }
  /** KS statistic D of the last test. */
  get statistic(): number {
    return this._statistic
  }
  /** Values seen since the last reset. */
  get n(): number {
    return this._n
  }

  reset(): void {
    this.start = 0
    this.length = 0
    this._pValue = 0
    this._statistic = 0
    this._n = 0
    this._driftDetected = false
    this.rng = new PythonRandom(this.seed)
  }

  toState(): KswinState {
    const window = new Float64Array(this.length)
    for (let i = 0; i < this.length; i++) window[i] = this.at(i)
    return {
      name: 'kswin',
      version: DETECTOR_STATE_VERSION,
      options: {
        alpha: this.alpha,
        windowSize: this.windowSize,
        statSize: this.statSize,
        seed: this.seed ?? null,
      },
      driftDetected: this._driftDetected,
      window: encodeNumbers(window),
      rng: this.rng.getState(),
      n: this._n,
      pValue: encodeNumber(this._pValue),
      statistic: encodeNumber(this._statistic),
    }
  }

  /** Rebuilds a detector from `toState()`; a malformed state names the field at fault. */
  static fromState(state: unknown): Kswin {
    const r = StateReader.of(state, 'kswin')
    const o = r.object('options')
    const seed = o.get('seed')
    const kswin = new Kswin({
      alpha: o.number('alpha'),
      windowSize: o.number('windowSize'),
      statSize: o.number('statSize'),
      ...(seed === null ? {} : { seed: o.integer('seed', -Number.MAX_SAFE_INTEGER) }),
    })
    for (const x of r.numbers('window', kswin.windowSize)) kswin.push(x)
    const rng = r.object('rng')
    const mt = rng.numbers('mt', MT_WORDS)
    if (mt.length !== MT_WORDS) rng.fail('mt', `an array of ${MT_WORDS} numbers`, mt.length)
    mt.forEach((word, i) => {
      if (!(Number.isInteger(word) && word >= 0 && word < 2 ** 32)) {
        rng.fail(`mt[${i}]`, 'an unsigned 32-bit integer', word)
      }
    })
    kswin.rng = PythonRandom.fromState({ mt, index: rng.integer('index', 0, MT_WORDS) })
    kswin._driftDetected = r.boolean('driftDetected')
    kswin._n = r.integer('n')
    kswin._pValue = r.number('pValue')
    kswin._statistic = r.number('statistic')
    return kswin
  }

  update(x: number): this {
    if (this._driftDetected) this.reset()
    this._n += 1
    this.push(x)
    if (this.length < this.windowSize) {
      this._driftDetected = false
      return this
    }
    const older = this.windowSize - this.statSize
    this.rng.sampleRange(older, this.statSize, this.picks)
    for (let i = 0; i < this.statSize; i++) {
      this.sampled[i] = this.at(this.picks[i] as number)
      this.recent[i] = this.at(older + i)
    }
    // scipy's ks_2samp wants ascending samples; sorting in place reuses the buffers.
    const { statistic, pValue } = ksTwoSample(this.sampled.sort(), this.recent.sort())
    this._statistic = statistic
    this._pValue = pValue
    this._driftDetected = pValue <= this.alpha && statistic > 0.1
    if (this._driftDetected) {
      // The KS test sorted `recent`; the window keeps the recent values in arrival order.
      for (let i = 0; i < this.statSize; i++) this.recent[i] = this.at(older + i)
      this.start = 0
      this.length = 0
      for (let i = 0; i < this.statSize; i++) this.push(this.recent[i] as number)
    }
    return this
  }

  private at(i: number): number {
    return this.buffer[(this.start + i) % this.windowSize] as number
  }

  /** Appends to the window, dropping the oldest value when full (a deque with maxlen). */
  private push(x: number): void {
    if (this.length < this.windowSize) {
      this.buffer[(this.start + this.length) % this.windowSize] = x
      this.length++
    } else {
      this.buffer[this.start] = x
      this.start = (this.start + 1) % this.windowSize
    }
  }
}

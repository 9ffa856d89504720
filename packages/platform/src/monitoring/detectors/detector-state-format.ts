import { InvalidParameterError } from '@ballast/contracts'

/**
 * The JSON form of a detector's state, kept in the database between windows: the shapes, the
 * encoding of numbers JSON cannot hold, and a reader that checks a stored state field by field.
 */

export const DETECTOR_NAMES = ['adwin', 'ddm', 'eddm', 'page-hinkley', 'kswin'] as const
export type DetectorName = (typeof DETECTOR_NAMES)[number]

/** Bumped when a shape changes, so an old stored state is refused rather than misread. */
export const DETECTOR_STATE_VERSION = 1

/** A float as JSON holds it: NaN, ±Infinity and −0 (which JSON would lose) as strings. */
export type StateNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0'

interface StateBase<N extends DetectorName, O> {
  name: N
  version: typeof DETECTOR_STATE_VERSION
  options: O
  driftDetected: boolean
}

export interface AdwinState extends StateBase<
  'adwin',
  { delta: number; clock: number; maxBuckets: number; minWindowLength: number; gracePeriod: number }
> {
  /** Row i holds buckets of 2^i values, oldest first. */
  rows: { totals: StateNumber[]; variances: StateNumber[] }[]
  tick: number
  width: number
  total: StateNumber
  variance: StateNumber
  nDetections: number
}

export interface DdmState extends StateBase<
  'ddm',
  { warmStart: number; warningThreshold: number; driftThreshold: number }
> {
  warningDetected: boolean
  n: number
  mean: StateNumber
  pMin: StateNumber
  sMin: StateNumber
  psMin: StateNumber
}

export interface EddmState extends StateBase<
  'eddm',
  { warmStart: number; alpha: number; beta: number }
> {
  warningDetected: boolean
  n: number
  lastError: number
  nErrors: number
  p2sMax: StateNumber
  distanceCount: number
  distanceMean: StateNumber
  distanceVar: StateNumber
}

export interface PageHinkleyState extends StateBase<
  'page-hinkley',
  {
    minInstances: number
    delta: number
    threshold: number
    alpha: number
    mode: 'up' | 'down' | 'both'
  }
> {
  n: number
  mean: StateNumber
  sumIncrease: StateNumber
  sumDecrease: StateNumber
  minIncrease: StateNumber
  maxDecrease: StateNumber
}

/** The Mersenne Twister's 624 words and its position in them. */
export interface PythonRandomState {
  mt: number[]
  index: number
}

export interface KswinState extends StateBase<
  'kswin',
  { alpha: number; windowSize: number; statSize: number; seed: number | null }
> {
  /** The sliding window, oldest value first. */
  window: StateNumber[]
  rng: PythonRandomState
  n: number
  pValue: StateNumber
  statistic: StateNumber
}

export type DetectorState = AdwinState | DdmState | EddmState | PageHinkleyState | KswinState

export function encodeNumber(x: number): StateNumber {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  if (Object.is(x, -0)) return '-0'
  return x
}

export function encodeNumbers(xs: ArrayLike<number>): StateNumber[] {
  return Array.from(xs, encodeNumber)
}

const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0,
}

function decodeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && Object.hasOwn(SPECIAL, value)) return SPECIAL[value]
  return undefined
}

/** Reads fields of a stored state; a missing or mistyped one is an error naming its path. */
export class StateReader {
  private constructor(
    private readonly value: Record<string, unknown>,
    private readonly path: string,
  ) {}

  /** Checks that `state` is a current-version state of detector `name`. */
  static of(state: unknown, name: DetectorName): StateReader {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new InvalidParameterError(`detector state must be an object, got ${describe(state)}`)
    }
    const reader = new StateReader(state as Record<string, unknown>, '')
    reader.oneOf('name', [name])
    const version = reader.get('version')
    if (version !== DETECTOR_STATE_VERSION) {
      reader.fail('version', `${DETECTOR_STATE_VERSION}`, version)
    }
    return reader
  }

  fail(key: string, expected: string, got: unknown): never {
    throw new InvalidParameterError(
      `detector state field '${this.at(key)}' must be ${expected}, got ${describe(got)}`,
    )
  }

  get(key: string): unknown {
    return this.value[key]
  }

  object(key: string): StateReader {
    const v = this.value[key]
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'an object', v)
    return new StateReader(v as Record<string, unknown>, this.at(key))
  }

  /** A float, possibly encoded as 'NaN', 'Infinity', '-Infinity' or '-0'. */
  number(key: string): number {
    const v = decodeNumber(this.value[key])
    if (v === undefined) this.fail(key, 'a number', this.value[key])
    return v
  }

  /** An integer in [min, max]. */
  integer(key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.value[key]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(key, `an integer in [${min}, ${max}]`, v)
    }
    return v
  }

  boolean(key: string): boolean {
    const v = this.value[key]
    if (typeof v !== 'boolean') this.fail(key, 'true or false', v)
    return v
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.value[key]
    if (!allowed.includes(v as T)) {
      this.fail(key, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, v)
    }
    return v as T
  }

  /** An array of floats (encoded as by `number`), at most `maxLength` long. */
  numbers(key: string, maxLength = Infinity): number[] {
    const v = this.value[key]
    if (!Array.isArray(v) || v.length > maxLength) {
      this.fail(key, `an array of at most ${maxLength} numbers`, v)
    }
    return v.map((x: unknown, i) => {
      const d = decodeNumber(x)
      if (d === undefined) this.fail(`${key}[${i}]`, 'a number', x)
      return d
    })
  }

  /** An array of objects. */
  list(key: string): StateReader[] {
    const v = this.value[key]
    if (!Array.isArray(v)) this.fail(key, 'an array', v)
    return v.map((item: unknown, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        this.fail(`${key}[${i}]`, 'an object', item)
      }
      return new StateReader(item as Record<string, unknown>, this.at(`${key}[${i}]`))
    })
  }

  private at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing'
  const s = JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

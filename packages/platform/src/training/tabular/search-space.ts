import { InvalidParameterError } from '@ballast/contracts'
import { seededRandom } from '../random.js'
import { modelParamKind } from './params.js'
import type { SearchSpec, TabularAlgo } from './types.js'

export type SearchDimension =
  | { name: string; kind: 'list'; values: number[] }
  | { name: string; kind: 'range'; lo: number; hi: number; log: boolean; integer: boolean }

const DEFAULT_RANDOM_TRIALS = 10
/** Grid points an integer range may expand to. */
const MAX_RANGE_POINTS = 1000

function number(name: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text)
  if (!Number.isFinite(value)) {
    throw new InvalidParameterError(`search space '${name}': '${text}' is not a number`)
  }
  return value
}

/**
 * Parses one dimension: `50,100,200` (a list), `0.01..0.3` (uniform), `log:0.001..1`
 * (log-uniform) or `3..8` (integers, as both ends are integers).
 */
export function parseDimension(algo: TabularAlgo, name: string, text: string): SearchDimension {
  const kind = modelParamKind(algo, name)
  const log = text.startsWith('log:')
  const body = log ? text.slice(4) : text
  const range = body.split('..')
  if (range.length === 2) {
    const lo = number(name, range[0]!)
    const hi = number(name, range[1]!)
    if (!(lo < hi)) {
      throw new InvalidParameterError(
        `search space '${name}': range ${lo}..${hi} must have lo < hi`,
      )
    }
    if (log && !(lo > 0)) {
      throw new InvalidParameterError(`search space '${name}': a log range needs lo > 0`)
    }
    const integer = Number.isInteger(lo) && Number.isInteger(hi)
    if (kind === 'int' && !integer) {
      throw new InvalidParameterError(
        `search space '${name}': an integer parameter needs integer ends`,
      )
    }
    return { name, kind: 'range', lo, hi, log, integer }
  }
  if (log || range.length > 2) {
    throw new InvalidParameterError(
      `search space '${name}': '${text}' is neither a list nor lo..hi`,
    )
  }
  const values = body.split(',').map((v) => number(name, v))
  if (kind === 'int' && !values.every(Number.isInteger)) {
    throw new InvalidParameterError(`search space '${name}': values must be integers`)
  }
  return { name, kind: 'list', values }
}

/** Trials' parameter sets: grid (every combination, in order, at most `trials`) or random. */
export function searchTrials(
  algo: TabularAlgo,
  search: SearchSpec,
  seed: number,
): Record<string, number>[] {
  const dims = Object.entries(search.space).map(([name, text]) => parseDimension(algo, name, text))
  if (dims.length === 0) throw new InvalidParameterError('search space must name a parameter')
  const trials = search.trials
  if (trials !== undefined && !(Number.isInteger(trials) && trials >= 1)) {
    throw new InvalidParameterError(`search 'trials' must be an integer >= 1; got ${trials}`)
  }
  if (search.kind === 'grid') {
    const axes = dims.map((d) => {
      if (d.kind === 'list') return d.values
      if (!d.integer || d.log || d.hi - d.lo + 1 > MAX_RANGE_POINTS) {
        throw new InvalidParameterError(
          `grid search cannot enumerate '${d.name}'; give a list or a short integer range`,
        )
      }
      return Array.from({ length: d.hi - d.lo + 1 }, (_, i) => d.lo + i)
    })
    let combos: Record<string, number>[] = [{}]
    axes.forEach((values, a) => {
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [dims[a]!.name]: v })))
    })
    return trials === undefined ? combos : combos.slice(0, trials)
  }
  if (search.kind !== 'random') {
    throw new InvalidParameterError(
      `search 'kind' must be grid or random; got ${String(search.kind)}`,
    )
  }
  const rng = seededRandom(seed)
  return Array.from({ length: trials ?? DEFAULT_RANDOM_TRIALS }, () => {
    const params: Record<string, number> = {}
    for (const d of dims) params[d.name] = sample(d, rng)
    return params
  })
}

function sample(d: SearchDimension, rng: () => number): number {
  if (d.kind === 'list') return d.values[Math.floor(rng() * d.values.length)]!
  if (d.integer && !d.log) return d.lo + Math.floor(rng() * (d.hi - d.lo + 1))
  const u = rng()
  const value = d.log
    ? Math.exp(Math.log(d.lo) + u * (Math.log(d.hi) - Math.log(d.lo)))
    : d.lo + u * (d.hi - d.lo)
  return d.integer ? Math.min(d.hi, Math.max(d.lo, Math.round(value))) : value
}

import { InvalidParameterError } from '@ballast/contracts'
import type { TabularAlgo } from './types.js'

type Kind = 'int' | 'number'

/** Parameters of every algorithm: splits, seeds and encoding. */
const COMMON: Record<string, Kind> = {
  testFraction: 'number',
  validationFraction: 'number',
  seed: 'int',
  folds: 'int',
  maxCategories: 'int',
}

/** Model parameters per algorithm, with the trainers' names (GbdtParams, LogisticParams). */
const MODEL: Record<TabularAlgo, Record<string, Kind>> = {
  gbdt: {
    numTrees: 'int',
    learningRate: 'number',
    maxDepth: 'int',
    maxLeaves: 'int',
    minChildSamples: 'int',
    minChildWeight: 'number',
    lambda: 'number',
    minSplitGain: 'number',
    maxBins: 'int',
    featureFraction: 'number',
    baggingFraction: 'number',
    earlyStoppingRounds: 'int',
    catSmooth: 'number',
    maxCatOneHot: 'int',
    maxCatThreshold: 'int',
  },
  logistic: { lambda: 'number', maxIterations: 'int', tolerance: 'number' },
  linear: { lambda: 'number' },
}

export interface CommonSettings {
  testFraction: number
  /** null: the algorithm's default (0.1 for GBDT or a search, else 0). */
  validationFraction: number | null
  seed: number
  folds: number
  maxCategories: number
}

export interface ParsedParams {
  common: CommonSettings
  /** Model parameters given by the caller, by trainer name. */
  model: Record<string, number>
}

function parseNumber(algo: TabularAlgo, name: string, raw: string, kind: Kind): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw)
  if (!Number.isFinite(value) || (kind === 'int' && !Number.isInteger(value))) {
    throw new InvalidParameterError(
      `${algo} parameter '${name}' must be ${kind === 'int' ? 'an integer' : 'a number'}; got '${raw}'`,
    )
  }
  return value
}

function requireRange(name: string, value: number, ok: boolean, rule: string): void {
  if (!ok) throw new InvalidParameterError(`parameter '${name}' must be ${rule}; got ${value}`)
}

export function modelParamKind(algo: TabularAlgo, name: string): Kind {
  const kind = MODEL[algo][name]
  if (kind === undefined) {
    throw new InvalidParameterError(
      `unknown ${algo} parameter '${name}'; expected one of ${Object.keys(MODEL[algo]).join(', ')}`,
    )
  }
  return kind
}

/** Parses `--param name=value` strings; the error names the parameter and lists the known ones. */
export function parseParams(algo: TabularAlgo, raw: Record<string, string> = {}): ParsedParams {
  const common: CommonSettings = {
    testFraction: 0.2,
    validationFraction: null,
    seed: 0,
    folds: 0,
    maxCategories: 100,
  }
  const model: Record<string, number> = {}
  for (const [name, text] of Object.entries(raw)) {
    const commonKind = COMMON[name]
    if (commonKind !== undefined) {
      ;(common as unknown as Record<string, number>)[name] = parseNumber(
        algo,
        name,
        text,
        commonKind,
      )
      continue
    }
    const kind = MODEL[algo][name]
    if (kind === undefined) {
      const known = [...Object.keys(MODEL[algo]), ...Object.keys(COMMON)]
      throw new InvalidParameterError(
        `unknown ${algo} parameter '${name}'; expected one of ${known.join(', ')}`,
      )
    }
    model[name] = parseNumber(algo, name, text, kind)
  }
  const c = common
  requireRange(
    'testFraction',
    c.testFraction,
    c.testFraction > 0 && c.testFraction < 1,
    'in (0, 1)',
  )
  if (c.validationFraction !== null) {
    const v = c.validationFraction
    requireRange('validationFraction', v, v >= 0 && v < 1, 'in [0, 1)')
  }
  requireRange('folds', c.folds, c.folds === 0 || c.folds >= 2, '0 (none) or >= 2')
  requireRange('maxCategories', c.maxCategories, c.maxCategories >= 1, '>= 1')
  return { common, model }
}

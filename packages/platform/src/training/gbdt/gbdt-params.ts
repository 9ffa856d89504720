import { InvalidParameterError } from '@ballast/contracts'

export type GbdtObjective = 'regression' | 'binary' | 'multiclass'

/** Hyperparameters of gradient-boosted trees; names follow LightGBM where one exists. */
export interface GbdtParams {
  objective: GbdtObjective
  /** Multiclass only; inferred as max label + 1 when absent. */
  numClass?: number
  numTrees?: number
  learningRate?: number
  /** Deepest level a leaf may sit at (root = 0); -1 for no limit. */
  maxDepth?: number
  /** Cap on leaves per tree; growth is leaf-wise (best gain first) until this cap. */
  maxLeaves?: number
  minChildSamples?: number
  /** Minimum sum of hessians in a child. */
  minChildWeight?: number
  /** L2 regularization on leaf values. */
  lambda?: number
  minSplitGain?: number
  /** Value bins per feature (missing values get one more); at most 255. */
  maxBins?: number
  /** Fraction of rows drawn (Bernoulli, seeded) for each iteration. */
  baggingFraction?: number
  /** Fraction of features drawn (seeded) for each tree. */
  featureFraction?: number
  seed?: number
  /** Stop when the validation loss has not improved for this many iterations; 0 = off. */
  earlyStoppingRounds?: number
  /** Smoothing added to the hessian when ordering categories by gradient / hessian. */
  catSmooth?: number
  /** Categorical features with at most this many categories in a node try one-vs-rest splits. */
  maxCatOneHot?: number
  /**
   * Most categories on the left of a categorical set split (LightGBM's max_cat_threshold). Fewer
   * means smaller trees and ONNX files: each category of a set is one node there.
   */
  maxCatThreshold?: number
}

export type ResolvedGbdtParams = Required<Omit<GbdtParams, 'numClass'>> & { numClass: number }

export const GBDT_DEFAULTS = {
  numTrees: 100,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 31,
  minChildSamples: 20,
  minChildWeight: 1e-3,
  lambda: 1,
  minSplitGain: 0,
  maxBins: 255,
  baggingFraction: 1,
  featureFraction: 1,
  seed: 0,
  earlyStoppingRounds: 0,
  catSmooth: 10,
  maxCatOneHot: 4,
  maxCatThreshold: 32,
} as const

function check(name: string, value: number, ok: boolean, rule: string): void {
  if (!ok || Number.isNaN(value)) {
    throw new InvalidParameterError(`GBDT parameter '${name}' must be ${rule}; got ${value}`)
  }
}

export function resolveGbdtParams(params: GbdtParams, numClass: number): ResolvedGbdtParams {
  if (!['regression', 'binary', 'multiclass'].includes(params.objective)) {
    throw new InvalidParameterError(
      `GBDT parameter 'objective' must be regression, binary or multiclass; got ${String(params.objective)}`,
    )
  }
  const p: ResolvedGbdtParams = { ...GBDT_DEFAULTS, ...params, numClass }
  const int = Number.isInteger
  check('numTrees', p.numTrees, int(p.numTrees) && p.numTrees >= 1, 'an integer >= 1')
  check('learningRate', p.learningRate, p.learningRate > 0, '> 0')
  check(
    'maxDepth',
    p.maxDepth,
    int(p.maxDepth) && (p.maxDepth >= 1 || p.maxDepth === -1),
    'an integer >= 1 or -1',
  )
  check('maxLeaves', p.maxLeaves, int(p.maxLeaves) && p.maxLeaves >= 2, 'an integer >= 2')
  check(
    'minChildSamples',
    p.minChildSamples,
    int(p.minChildSamples) && p.minChildSamples >= 1,
    'an integer >= 1',
  )
  check('minChildWeight', p.minChildWeight, p.minChildWeight >= 0, '>= 0')
  check('lambda', p.lambda, p.lambda >= 0, '>= 0')
  check('minSplitGain', p.minSplitGain, p.minSplitGain >= 0, '>= 0')
  check(
    'maxBins',
    p.maxBins,
    int(p.maxBins) && p.maxBins >= 2 && p.maxBins <= 255,
    'an integer in [2, 255]',
  )
  check(
    'baggingFraction',
    p.baggingFraction,
    p.baggingFraction > 0 && p.baggingFraction <= 1,
    'in (0, 1]',
  )
  check(
    'featureFraction',
    p.featureFraction,
    p.featureFraction > 0 && p.featureFraction <= 1,
    'in (0, 1]',
  )
  check('seed', p.seed, int(p.seed), 'an integer')
  check(
    'earlyStoppingRounds',
    p.earlyStoppingRounds,
    int(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 0,
    'an integer >= 0',
  )
  check('catSmooth', p.catSmooth, p.catSmooth >= 0, '>= 0')
  check(
    'maxCatOneHot',
    p.maxCatOneHot,
    int(p.maxCatOneHot) && p.maxCatOneHot >= 1,
    'an integer >= 1',
  )
  check(
    'maxCatThreshold',
    p.maxCatThreshold,
    int(p.maxCatThreshold) && p.maxCatThreshold >= 1,
    'an integer >= 1',
  )
  return p
}

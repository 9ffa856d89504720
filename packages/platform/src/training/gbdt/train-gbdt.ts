import { InvalidParameterError } from '@ballast/contracts'
import { seededRandom } from '../random.js'
import { binColumn, fitFeatureBins } from './bin-mapper.js'
import type { GbdtModelJson, GbdtTreeJson } from './gbdt-json.js'
import { GbdtModel } from './gbdt-model.js'
import { type GbdtParams, resolveGbdtParams } from './gbdt-params.js'
import { computeGradients, initialScores, meanLoss } from './losses.js'
import type { SplitContext } from './split-finder.js'
import { type BinnedData, TreeBuilder } from './tree-builder.js'
import { addTreeScores } from './tree-scoring.js'

/** Column-major training data: one Float64Array per feature, NaN for missing. */
export interface GbdtData {
  features: Float64Array[]
  label: Float64Array
  /** Columns whose values are category codes (any numbers); others are numeric. */
  categorical?: boolean[]
}

export interface GbdtTrainOptions {
  validation?: GbdtData
  onIteration?(iteration: number, trainLoss: number, validLoss: number | undefined): void
}

/**
 * Gradient-boosted trees on histograms (LightGBM's design): features binned once, per-leaf
 * gradient histograms with subtraction, leaf-wise growth. Losses reported per iteration are the
 * training objective: mean squared error (regression) or mean log loss (classification).
 */
export function trainGbdt(
  data: GbdtData,
  params: GbdtParams,
  options: GbdtTrainOptions = {},
): GbdtModel {
  const numClass = checkData(data, params, 'data')
  const p = resolveGbdtParams(params, numClass)
  const valid = options.validation
  if (valid) checkData(valid, params, 'validation', data.features.length, numClass)
  if (p.earlyStoppingRounds > 0 && !valid) {
    throw new InvalidParameterError(`GBDT parameter 'earlyStoppingRounds' needs a validation set`)
  }
  const F = data.features.length
  const n = data.label.length
  const K = p.objective === 'multiclass' ? numClass : 1
  const categorical = Array.from({ length: F }, (_, f) => data.categorical?.[f] === true)
  const bins = data.features.map((col, f) => fitFeatureBins(col, categorical[f]!, p.maxBins))
  const slotOffset = new Int32Array(F)
  let totalSlots = 0
  bins.forEach((fb, f) => {
    slotOffset[f] = totalSlots
    totalSlots += fb.numBins + 1
  })
  const ctx: SplitContext = {
    bins,
    slotOffset,
    lambda: p.lambda,
    minChildSamples: p.minChildSamples,
    minChildWeight: p.minChildWeight,
    catSmooth: p.catSmooth,
    maxCatOneHot: p.maxCatOneHot,
    maxCatThreshold: p.maxCatThreshold,
  }
  const colBins = data.features.map((col, f) => binColumn(col, bins[f]!))
  const rowBins = new Uint8Array(n * F)
  colBins.forEach((column, f) => {
    for (let i = 0; i < n; i++) rowBins[i * F + f] = column[i]!
  })
  const binned: BinnedData = { rowBins, colBins, numFeatures: F, ctx, totalSlots, numRows: n }
  const builder = new TreeBuilder(binned, p)

  const baseScore = initialScores(p.objective, data.label, K)
  const scores = new Float64Array(n * K)
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) scores[i * K + k] = baseScore[k]!
  const validScores = valid ? new Float64Array(valid.label.length * K) : null
  if (validScores) for (let i = 0; i < validScores.length; i++) validScores[i] = baseScore[i % K]!

  const grad = new Float64Array(n * K)
  const hess = new Float64Array(n * K)
  const rows = new Uint32Array(n)
  const inBag = new Uint8Array(n)
  const rng = seededRandom(p.seed)
  const featureOrder = Int32Array.from({ length: F }, (_, f) => f)
  const trees: GbdtTreeJson[] = []
  const trainLoss: number[] = []
  const validLoss: number[] = []
  let best = { iteration: -1, loss: Infinity }

  // The training loss after iteration i comes free with the gradients of iteration i + 1.
  let pendingValid: number | undefined
  const finishIteration = (it: number, tl: number): boolean => {
    trainLoss.push(tl)
    if (pendingValid !== undefined) {
      validLoss.push(pendingValid)
      if (pendingValid < best.loss) best = { iteration: it, loss: pendingValid }
    }
    options.onIteration?.(it, tl, pendingValid)
    return p.earlyStoppingRounds > 0 && it - best.iteration >= p.earlyStoppingRounds
  }
  let stopped = false
  for (let it = 0; it < p.numTrees; it++) {
    const lossBefore = computeGradients(p.objective, data.label, scores, K, grad, hess)
    if (it > 0 && finishIteration(it - 1, lossBefore)) {
      stopped = true
      break
    }
    let count = 0
    if (p.baggingFraction < 1) {
      for (let i = 0; i < n; i++) {
        inBag[i] = rng() < p.baggingFraction ? 1 : 0
        if (inBag[i] === 1) rows[count++] = i
      }
    } else {
      for (let i = 0; i < n; i++) rows[i] = i
      count = n
    }
    for (let k = 0; k < K; k++) {
      const features = sampleFeatures(featureOrder, p.featureFraction, rng)
      const g = K === 1 ? grad : grad.subarray(k * n, (k + 1) * n)
      const h = K === 1 ? hess : hess.subarray(k * n, (k + 1) * n)
      const { tree, leaves } = builder.build(rows, count, g, h, features)
      trees.push(tree)
      for (const leaf of leaves) {
        for (let i = leaf.start; i < leaf.end; i++) scores[rows[i]! * K + k]! += leaf.value
      }
      if (count < n) addTreeScores(tree, data.features, scores, K, k, inBag)
      if (valid && validScores) addTreeScores(tree, valid.features, validScores, K, k)
    }
    if (valid && validScores) pendingValid = meanLoss(p.objective, valid.label, validScores, K)
  }
  if (!stopped) finishIteration(trees.length / K - 1, meanLoss(p.objective, data.label, scores, K))
  const bestIteration = p.earlyStoppingRounds > 0 ? best.iteration : trainLoss.length - 1
  const json: GbdtModelJson = {
    format: 'ballast-gbdt/1',
    objective: p.objective,
    numFeatures: F,
    numOutputs: K,
    categorical,
    baseScore,
    trees: trees.slice(0, (bestIteration + 1) * K),
    params: p,
    bestIteration,
    trainLoss,
    validLoss,
  }
  return new GbdtModel(json)
}

/** A seeded sample of round(fraction × F) features (at least one), in ascending order. */
function sampleFeatures(order: Int32Array, fraction: number, rng: () => number): Int32Array {
  if (fraction >= 1) return order
  const F = order.length
  const take = Math.max(1, Math.round(fraction * F))
  const pool = Int32Array.from(order)
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rng() * (F - i))
    const t = pool[i]!
    pool[i] = pool[j]!
    pool[j] = t
  }
  return pool.subarray(0, take).sort()
}

/** Validates shapes and labels; returns the number of classes (1 for regression). */
function checkData(
  data: GbdtData,
  params: GbdtParams,
  name: string,
  numFeatures?: number,
  numClass?: number,
): number {
  const n = data.label.length
  if (data.features.length === 0)
    throw new InvalidParameterError(`${name}.features must have at least one column`)
  if (numFeatures !== undefined && data.features.length !== numFeatures) {
    throw new InvalidParameterError(
      `${name}.features has ${data.features.length} columns; the training data has ${numFeatures}`,
    )
  }
  if (n === 0) throw new InvalidParameterError(`${name}.label is empty`)
  data.features.forEach((col, f) => {
    if (col.length !== n)
      throw new InvalidParameterError(
        `${name}.features[${f}] has ${col.length} rows; label has ${n}`,
      )
  })
  let max = 0
  for (let i = 0; i < n; i++) {
    const y = data.label[i]!
    const ok =
      params.objective === 'regression'
        ? Number.isFinite(y)
        : params.objective === 'binary'
          ? y === 0 || y === 1
          : Number.isInteger(y) && y >= 0
    if (!ok) {
      const rule =
        params.objective === 'regression'
          ? 'finite'
          : params.objective === 'binary'
            ? '0 or 1'
            : 'a class index >= 0'
      throw new InvalidParameterError(
        `${name}.label[${i}] must be ${rule} for objective ${params.objective}; got ${y}`,
      )
    }
    if (y > max) max = y
  }
  if (params.objective !== 'multiclass') return 1
  const K = numClass ?? params.numClass ?? max + 1
  if (K < 2) throw new InvalidParameterError(`multiclass needs numClass >= 2; got ${K}`)
  if (max >= K)
    throw new InvalidParameterError(`${name}.label has class ${max} but numClass is ${K}`)
  return K
}

import { float32AtOrBelow } from './float32.js'
import { isLeaf, isSetSplit, scoreCount } from './tree-ensemble-json.js'
import type { TreeEnsembleJson } from './tree-ensemble-json.js'

const f32 = Math.fround

/**
 * Reference evaluator of a TreeEnsembleJson that reproduces onnxruntime's arithmetic: inputs,
 * thresholds (exported as the largest float32 <= the threshold) and leaves are float32, scores are
 * summed in float32 tree by tree, and the base score is added last. A set split is exported as a
 * chain of float32 equality tests, which is membership of the float32 input. It exists to check exported graphs; trainers have their own fast predictors.
 *
 * Returns the raw scores (one per class for multiclass, else one).
 */
export function treeEnsembleRawScores(model: TreeEnsembleJson, row: ArrayLike<number>): number[] {
  const scores = new Array<number>(scoreCount(model)).fill(0)
  for (const tree of model.trees) {
    let index = 0
    for (;;) {
      const node = tree.nodes[index]
      if (node === undefined) throw new Error(`tree node ${index} is missing`)
      if (isLeaf(node)) {
        scores[tree.classIndex] = f32((scores[tree.classIndex] ?? 0) + f32(node.leaf))
        break
      }
      const x = f32(row[node.feature] ?? Number.NaN)
      const goLeft = isSetSplit(node)
        ? node.categories.includes(x)
        : Number.isNaN(x)
          ? node.missingGoesLeft
          : x <= float32AtOrBelow(node.threshold)
      index = goLeft ? node.left : node.right
    }
  }
  return scores.map((s, c) => f32(s + f32(model.baseScore[c] ?? 0)))
}

export interface TreeEnsemblePrediction {
  /** Regression: the prediction. Classification: the index of the most probable class. */
  value: number
  /** Classification only: one probability per class. */
  probabilities?: number[]
}

export function evaluateTreeEnsemble(
  model: TreeEnsembleJson,
  row: ArrayLike<number>,
): TreeEnsemblePrediction {
  const raw = treeEnsembleRawScores(model, row)
  if (model.task === 'regression') return { value: raw[0] ?? 0 }
  if (model.task === 'binary') {
    const p1 = 1 / (1 + Math.exp(-(raw[0] ?? 0)))
    return { value: p1 > 0.5 ? 1 : 0, probabilities: [1 - p1, p1] }
  }
  const max = Math.max(...raw)
  const exps = raw.map((s) => Math.exp(s - max))
  const total = exps.reduce((a, b) => a + b, 0)
  const probabilities = exps.map((e) => e / total)
  return { value: probabilities.indexOf(Math.max(...probabilities)), probabilities }
}

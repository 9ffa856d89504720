import type { GbdtObjective, ResolvedGbdtParams } from './gbdt-params.js'

/**
 * One tree as parallel node arrays (node 0 is the root), the form an ONNX TreeEnsemble takes.
 * Decision at an internal node on input x = row[feature]:
 * - x is NaN: go left iff defaultLeft;
 * - numeric split (categories null): go left iff x <= threshold. Thresholds are feature values
 *   seen in training (a bin's upper bound), so this comparison on raw float64 inputs reproduces
 *   the binned training decision exactly;
 * - categorical split: go left iff x is one of `categories`; any other value, including one
 *   never seen in training, goes right (defaultLeft is false for these nodes).
 * Leaves have feature -1 and carry `value`, already multiplied by the learning rate.
 */
export interface GbdtTreeJson {
  feature: number[]
  threshold: number[]
  categories: (number[] | null)[]
  defaultLeft: boolean[]
  left: number[]
  right: number[]
  value: number[]
  /** Split gain at internal nodes (0 at leaves); summed per feature for importances. */
  gain: number[]
  /** Training rows (in the bag) that reached the node. */
  count: number[]
}

/**
 * A trained model. Raw score of output k = baseScore[k] + Σ value of the leaf reached in each
 * tree t with t % numOutputs === k; probabilities: sigmoid (binary) or softmax (multiclass).
 */
export interface GbdtModelJson {
  format: 'ballast-gbdt/1'
  objective: GbdtObjective
  numFeatures: number
  numOutputs: number
  categorical: boolean[]
  baseScore: number[]
  trees: GbdtTreeJson[]
  params: ResolvedGbdtParams
  bestIteration: number
  trainLoss: number[]
  validLoss: number[]
}

import { InvalidParameterError } from '@ballast/contracts'
import type { GbdtModelJson } from './gbdt/index.js'
import type { TreeEnsembleJson, TreeNode } from './onnx/index.js'

const TASKS = { regression: 'regression', binary: 'binary', multiclass: 'multiclass' } as const

/**
 * A trained GBDT as the trainer-independent tree-ensemble JSON that the ONNX exporter takes. Tree t
 * adds to class t mod numOutputs. Categorical splits become set splits (left when the code is in
 * the set; NaN and unknown codes right, as in GbdtModel); their codes must be float32 values.
 */
export function gbdtToTreeEnsemble(
  model: GbdtModelJson,
  featureNames: readonly string[],
): TreeEnsembleJson {
  if (featureNames.length !== model.numFeatures) {
    throw new InvalidParameterError(
      `featureNames has ${featureNames.length} names; the model has ${model.numFeatures} features`,
    )
  }
  const trees = model.trees.map((tree, t) => {
    const nodes: TreeNode[] = tree.feature.map((feature, i) => {
      if (feature < 0) return { leaf: tree.value[i]! }
      const categories = tree.categories[i]
      if (categories) {
        const inexact = categories.find((c) => Math.fround(c) !== c)
        if (inexact !== undefined) {
          throw new InvalidParameterError(
            `tree ${t} splits categorical feature '${featureNames[feature]}' on code ${inexact}, which float32 inputs cannot represent; use integer codes below 2^24`,
          )
        }
        return { feature, categories: [...categories], left: tree.left[i]!, right: tree.right[i]! }
      }
      return {
        feature,
        threshold: tree.threshold[i]!,
        missingGoesLeft: tree.defaultLeft[i]!,
        left: tree.left[i]!,
        right: tree.right[i]!,
      }
    })
    return { classIndex: t % model.numOutputs, nodes }
  })
  return {
    task: TASKS[model.objective],
    nClasses:
      model.objective === 'regression' ? 1 : model.objective === 'binary' ? 2 : model.numOutputs,
    baseScore: [...model.baseScore],
    trees,
    featureNames: [...featureNames],
  }
}

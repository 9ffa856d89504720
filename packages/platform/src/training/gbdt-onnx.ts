import { InvalidParameterError } from '@ballast/contracts'
import type { GbdtModelJson } from './gbdt/index.js'
import type { TreeEnsembleJson, TreeNode } from './onnx/index.js'

const TASKS = { regression: 'regression', binary: 'binary', multiclass: 'multiclass' } as const

/**
 * A trained GBDT as the trainer-independent tree-ensemble JSON that the ONNX exporter takes. Tree t
 * adds to class t mod numOutputs. Categorical splits (set membership) have no single-node form in
 * TreeEnsemble's BRANCH_LEQ encoding, so such models are refused for now.
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
      if (tree.categories[i] !== null) {
        throw new InvalidParameterError(
          `tree ${t} splits categorical feature '${featureNames[feature]}'; ONNX export of categorical splits is not supported yet`,
        )
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

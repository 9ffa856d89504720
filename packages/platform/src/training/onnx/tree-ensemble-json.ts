import { InvalidParameterError } from '@ballast/contracts'

/** A split: go left when x <= threshold, or when x is NaN and missingGoesLeft. */
export interface TreeSplitNode {
  feature: number
  threshold: number
  missingGoesLeft: boolean
  /** Index of the child node in the same tree's `nodes`; children come after their parent. */
  left: number
  right: number
}

/**
 * A set-membership split on a categorical code: go left when x equals one of `categories`; NaN
 * and every other value go right. Codes must be float32 values (small integers are), since ONNX
 * compares float32 inputs.
 */
export interface TreeSetSplitNode {
  feature: number
  categories: number[]
  left: number
  right: number
}

export interface TreeLeafNode {
  leaf: number
}

export type TreeNode = TreeSplitNode | TreeSetSplitNode | TreeLeafNode

export interface TreeJson {
  /** The class whose raw score this tree adds to; 0 for regression and binary. */
  classIndex: number
  /** nodes[0] is the root. */
  nodes: TreeNode[]
}

/**
 * A trained tree ensemble as plain JSON, independent of the trainer: the raw score of class c is
 * baseScore[c] + the sum of the leaves reached in the trees of class c. Binary models have one
 * score (the log-odds of class 1); multiclass models apply softmax over nClasses scores.
 */
export interface TreeEnsembleJson {
  task: 'regression' | 'binary' | 'multiclass'
  nClasses: number
  baseScore: number[]
  trees: TreeJson[]
  featureNames: string[]
}

export function isLeaf(node: TreeNode): node is TreeLeafNode {
  return 'leaf' in node
}

export function isSetSplit(node: TreeNode): node is TreeSetSplitNode {
  return 'categories' in node
}

/** Number of raw scores (and base scores) the task has. */
export function scoreCount(model: TreeEnsembleJson): number {
  return model.task === 'multiclass' ? model.nClasses : 1
}

/** Rejects what would otherwise become an invalid graph or a silent wrong prediction. */
export function validateTreeEnsemble(model: TreeEnsembleJson): void {
  const k = scoreCount(model)
  if (model.task === 'binary' && model.nClasses !== 2) {
    throw new InvalidParameterError(
      `nClasses must be 2 for a binary ensemble, got ${model.nClasses}`,
    )
  }
  if (model.task === 'multiclass' && !(model.nClasses >= 3)) {
    throw new InvalidParameterError(
      `nClasses must be at least 3 for a multiclass ensemble, got ${model.nClasses}`,
    )
  }
  if (model.baseScore.length !== k) {
    throw new InvalidParameterError(
      `baseScore must have ${k} value(s) for task '${model.task}', got ${model.baseScore.length}`,
    )
  }
  const nFeatures = model.featureNames.length
  if (nFeatures === 0) throw new InvalidParameterError('featureNames must not be empty')
  const seen = new Set<string>()
  for (const name of model.featureNames) {
    if (name === '' || seen.has(name)) {
      throw new InvalidParameterError(`featureNames must be unique and non-empty: '${name}'`)
    }
    seen.add(name)
  }
  model.trees.forEach((tree, t) => {
    if (!Number.isInteger(tree.classIndex) || tree.classIndex < 0 || tree.classIndex >= k) {
      throw new InvalidParameterError(
        `trees[${t}].classIndex ${tree.classIndex} is not in [0, ${k})`,
      )
    }
    if (tree.nodes.length === 0) throw new InvalidParameterError(`trees[${t}] has no nodes`)
    tree.nodes.forEach((node, i) => {
      const where = `trees[${t}].nodes[${i}]`
      if (isLeaf(node)) {
        if (!Number.isFinite(node.leaf))
          throw new InvalidParameterError(`${where}.leaf is not finite`)
        return
      }
      if (!Number.isInteger(node.feature) || node.feature < 0 || node.feature >= nFeatures) {
        throw new InvalidParameterError(
          `${where}.feature ${node.feature} is not in [0, ${nFeatures})`,
        )
      }
      if (isSetSplit(node)) validateCategories(node.categories, where)
      else if (Number.isNaN(node.threshold)) {
        throw new InvalidParameterError(`${where}.threshold is NaN`)
      }
      for (const child of [node.left, node.right]) {
        // Children after their parent: rules out cycles, which would hang the evaluator.
        if (!Number.isInteger(child) || child <= i || child >= tree.nodes.length) {
          throw new InvalidParameterError(`${where} has child index ${child} out of range`)
        }
      }
    })
  })
}

function validateCategories(categories: readonly number[], where: string): void {
  if (categories.length === 0) throw new InvalidParameterError(`${where}.categories is empty`)
  const seen = new Set<number>()
  for (const c of categories) {
    if (!Number.isFinite(c) || Math.fround(c) !== c) {
      throw new InvalidParameterError(`${where}.categories has ${c}, which is not a finite float32`)
    }
    if (seen.has(c)) throw new InvalidParameterError(`${where}.categories has ${c} twice`)
    seen.add(c)
  }
}

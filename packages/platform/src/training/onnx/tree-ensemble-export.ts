import { addFeatureMatrix } from './feature-inputs.js'
import type { ExportOptions } from './feature-inputs.js'
import { ML_DOMAIN, OnnxGraphBuilder, attr } from './onnx-builder.js'
import type { ModelOptions } from './onnx-builder.js'
import { float32AtOrBelow } from './float32.js'
import { isLeaf, isSetSplit, validateTreeEnsemble } from './tree-ensemble-json.js'
import type { TreeEnsembleJson } from './tree-ensemble-json.js'
import {
  RANK_BLOCK,
  blockSetTests,
  planCategoryRanks,
  rankBlockCount,
} from './tree-ensemble-sets.js'
import type { CategoryRanks } from './tree-ensemble-sets.js'

/** Output names of exported models; the registry reads the signature from the graph. */
export const PREDICTION_OUTPUT = 'prediction'
export const LABEL_OUTPUT = 'label'
export const PROBABILITIES_OUTPUT = 'probabilities'

type BranchArgs = readonly [
  feature: number,
  value: number,
  mode: 'BRANCH_LEQ' | 'BRANCH_EQ',
  trueId: number,
  falseId: number,
  missingTracksTrue: boolean,
]

export interface FlatTrees {
  nodeTreeIds: number[]
  nodeIds: number[]
  featureIds: number[]
  values: number[]
  modes: string[]
  trueIds: number[]
  falseIds: number[]
  missingTracksTrue: number[]
  leafTreeIds: number[]
  leafNodeIds: number[]
  leafTargets: number[]
  leafWeights: number[]
}

// The ai.onnx.ml tree operators take the ensemble as parallel arrays, one entry per node and one
// per leaf weight. Node ids are the indices in the JSON, so a tree reads the same in both; the
// further tests that a set split needs after its first get ids from nodes.length upwards. A set
// split on a feature with `ranks` tests block-local ranks (the graph appends the rank blocks, see
// addRankBlocks); without, it is a chain of equality tests on the codes.
export function flattenTreeEnsemble(
  model: TreeEnsembleJson,
  ranks: readonly CategoryRanks[] = [],
): FlatTrees {
  // The blocks of each ranked feature follow the features, in the order of `ranks`.
  const rankOf = new Map<number, { column: number; rank: Map<number, number> }>()
  let column = model.featureNames.length
  for (const r of ranks) {
    rankOf.set(r.feature, { column, rank: new Map(r.codes.map((code, k) => [code, r.ranks[k]!])) })
    column += rankBlockCount(r)
  }
  const flat: FlatTrees = {
    nodeTreeIds: [],
    nodeIds: [],
    featureIds: [],
    values: [],
    modes: [],
    trueIds: [],
    falseIds: [],
    missingTracksTrue: [],
    leafTreeIds: [],
    leafNodeIds: [],
    leafTargets: [],
    leafWeights: [],
  }
  const branch = (
    t: number,
    id: number,
    feature: number,
    value: number,
    mode: 'BRANCH_LEQ' | 'BRANCH_EQ',
    trueId: number,
    falseId: number,
    missingTracksTrue: boolean,
  ) => {
    flat.nodeTreeIds.push(t)
    flat.nodeIds.push(id)
    flat.featureIds.push(feature)
    flat.values.push(value)
    flat.modes.push(mode)
    flat.trueIds.push(trueId)
    flat.falseIds.push(falseId)
    flat.missingTracksTrue.push(missingTracksTrue ? 1 : 0)
  }
  model.trees.forEach((tree, t) => {
    // Equality tests after the first of each set split, emitted after the tree's own nodes (the
    // first node of a tree in the arrays is its root).
    const chained: { id: number; args: BranchArgs }[] = []
    let nextId = tree.nodes.length
    tree.nodes.forEach((node, i) => {
      if (isLeaf(node)) {
        flat.nodeTreeIds.push(t)
        flat.nodeIds.push(i)
        flat.featureIds.push(0)
        flat.values.push(0)
        flat.modes.push('LEAF')
        flat.trueIds.push(0)
        flat.falseIds.push(0)
        flat.missingTracksTrue.push(0)
        flat.leafTreeIds.push(t)
        flat.leafNodeIds.push(i)
        flat.leafTargets.push(tree.classIndex)
        flat.leafWeights.push(node.leaf)
      } else if (isSetSplit(node) && rankOf.has(node.feature)) {
        const { column, rank } = rankOf.get(node.feature)!
        const tests = blockSetTests(node.categories.map((c) => rank.get(c)!)).flatMap(
          ({ block, values }) => values.map((value) => ({ column: column + block, value })),
        )
        const ids = tests.map((_, j) => (j === 0 ? i : nextId++))
        tests.forEach((test, j) => {
          const args = [
            test.column,
            test.value,
            'BRANCH_EQ',
            node.left,
            ids[j + 1] ?? node.right,
            false,
          ] as const
          if (j === 0) branch(t, i, ...args)
          else chained.push({ id: ids[j]!, args })
        })
      } else if (isSetSplit(node)) {
        // x in {c1, …, ck}: "x == c1 → left, else x == c2 → left, …, else right". NaN equals
        // nothing, so it ends on the right, as an unknown code does.
        const ids = node.categories.map((_, j) => (j === 0 ? i : nextId++))
        node.categories.forEach((code, j) => {
          const next = ids[j + 1] ?? node.right
          if (j === 0) branch(t, i, node.feature, code, 'BRANCH_EQ', node.left, next, false)
          else {
            chained.push({
              id: ids[j]!,
              args: [node.feature, code, 'BRANCH_EQ', node.left, next, false],
            })
          }
        })
      } else {
        // BRANCH_LEQ: the "true" branch is x <= threshold, i.e. left. The largest float32 at or
        // below the threshold decides every float32 input as the double threshold does.
        const threshold = float32AtOrBelow(node.threshold)
        branch(
          t,
          i,
          node.feature,
          threshold,
          'BRANCH_LEQ',
          node.left,
          node.right,
          node.missingGoesLeft,
        )
      }
    })
    for (const c of chained) branch(t, c.id, ...c.args)
  })
  return flat
}

export interface TreeEnsembleExportOptions extends ExportOptions {
  /**
   * How set splits are written: `ranks` (default) maps each categorical feature's codes to ranks
   * in blocks of 32 in the graph and tests each block the set touches with one run of BRANCH_EQ,
   * which onnxruntime evaluates as one bit-mask test; `chains` writes one BRANCH_EQ per code on
   * the codes themselves.
   */
  setSplits?: 'ranks' | 'chains'
}

// Appends each categorical feature's rank blocks to the [N, F] feature matrix: the code becomes a
// rank r (LabelEncoder, float keys; any other value becomes NaN), and block b's column holds
// r − 32b + 1, which is in 1 … 32 exactly for the ranks of block b. The codes stay in place for
// any threshold split on the same feature.
function addRankBlocks(
  builder: OnnxGraphBuilder,
  features: string,
  ranks: readonly CategoryRanks[],
): string {
  if (ranks.length === 0) return features
  const columns = ranks.map((r) => {
    const { feature, codes } = r
    const code = `${features}_${feature}`
    builder.initializer({ name: `${code}_index`, elemType: 'int64', dims: [1], values: [feature] })
    builder.node({
      opType: 'Gather',
      inputs: [features, `${code}_index`],
      outputs: [code],
      attributes: { axis: attr.int(1) },
    })
    builder.node({
      opType: 'LabelEncoder',
      domain: ML_DOMAIN,
      inputs: [code],
      outputs: [`${code}_rank`],
      attributes: {
        keys_floats: attr.floats(codes),
        values_floats: attr.floats(r.ranks),
        default_float: attr.float(Number.NaN),
      },
    })
    const blocks = rankBlockCount(r)
    builder.initializer({
      name: `${code}_block_offsets`,
      elemType: 'float',
      dims: [1, blocks],
      values: Array.from({ length: blocks }, (_, b) => b * RANK_BLOCK - 1),
    })
    builder.node({
      opType: 'Sub',
      inputs: [`${code}_rank`, `${code}_block_offsets`],
      outputs: [`${code}_blocks`],
    })
    return `${code}_blocks`
  })
  const output = `${features}_with_rank_blocks`
  builder.node({
    opType: 'Concat',
    inputs: [features, ...columns],
    outputs: [output],
    attributes: { axis: attr.int(1) },
  })
  return output
}

/**
 * Exports a tree ensemble to ONNX: named inputs (see addFeatureMatrix), concatenated, then
 * TreeEnsembleRegressor (output `prediction` [N, 1]) or TreeEnsembleClassifier (outputs `label`
 * int64 [N] and `probabilities` float [N, nClasses]; LOGISTIC for binary, SOFTMAX for multiclass).
 */
export function exportTreeEnsemble(
  model: TreeEnsembleJson,
  options: TreeEnsembleExportOptions = {},
): Uint8Array {
  validateTreeEnsemble(model)
  const ranks = options.setSplits === 'chains' ? [] : planCategoryRanks(model)
  const flat = flattenTreeEnsemble(model, ranks)
  const builder = new OnnxGraphBuilder()
  const features = addRankBlocks(
    builder,
    addFeatureMatrix(builder, model.featureNames, options.columns),
    ranks,
  )
  const nodeAttributes = {
    nodes_treeids: attr.ints(flat.nodeTreeIds),
    nodes_nodeids: attr.ints(flat.nodeIds),
    nodes_featureids: attr.ints(flat.featureIds),
    nodes_values: attr.floats(flat.values),
    nodes_modes: attr.strings(flat.modes),
    nodes_truenodeids: attr.ints(flat.trueIds),
    nodes_falsenodeids: attr.ints(flat.falseIds),
    nodes_missing_value_tracks_true: attr.ints(flat.missingTracksTrue),
    base_values: attr.floats(model.baseScore),
  }

  if (model.task === 'regression') {
    builder.node({
      opType: 'TreeEnsembleRegressor',
      domain: ML_DOMAIN,
      inputs: [features],
      outputs: [PREDICTION_OUTPUT],
      attributes: {
        ...nodeAttributes,
        target_treeids: attr.ints(flat.leafTreeIds),
        target_nodeids: attr.ints(flat.leafNodeIds),
        target_ids: attr.ints(flat.leafTargets),
        target_weights: attr.floats(flat.leafWeights),
        n_targets: attr.int(1),
        aggregate_function: attr.string('SUM'),
        post_transform: attr.string('NONE'),
      },
    })
    builder.output(PREDICTION_OUTPUT, 'float', ['N', 1])
    return builder.build(withDefaults(model, options))
  }

  const binary = model.task === 'binary'
  // onnxruntime derives the binary label by comparing the raw score with 0.5 when every leaf
  // weight is positive (it then takes the scores for probabilities); the probabilities are
  // right either way, so the binary label is their argmax instead.
  const classifierLabel = binary ? 'tree_label' : LABEL_OUTPUT
  builder.node({
    opType: 'TreeEnsembleClassifier',
    domain: ML_DOMAIN,
    inputs: [features],
    outputs: [classifierLabel, PROBABILITIES_OUTPUT],
    attributes: {
      ...nodeAttributes,
      class_treeids: attr.ints(flat.leafTreeIds),
      class_nodeids: attr.ints(flat.leafNodeIds),
      class_ids: attr.ints(flat.leafTargets),
      class_weights: attr.floats(flat.leafWeights),
      classlabels_int64s: attr.ints(Array.from({ length: model.nClasses }, (_, c) => c)),
      post_transform: attr.string(binary ? 'LOGISTIC' : 'SOFTMAX'),
    },
  })
  if (binary) {
    builder.node({
      opType: 'ArgMax',
      inputs: [PROBABILITIES_OUTPUT],
      outputs: [LABEL_OUTPUT],
      attributes: { axis: attr.int(1), keepdims: attr.int(0) },
    })
  }
  builder.output(LABEL_OUTPUT, 'int64', ['N'])
  builder.output(PROBABILITIES_OUTPUT, 'float', ['N', model.nClasses])
  return builder.build(withDefaults(model, options))
}

function withDefaults(model: TreeEnsembleJson, options: ModelOptions): ModelOptions {
  return {
    graphName: options.graphName ?? `ballast_tree_ensemble_${model.task}`,
    docString:
      options.docString ??
      `Tree ensemble (${model.task}, ${model.trees.length} trees) exported by Ballast`,
    metadata: { task: model.task, ...options.metadata },
    ...(options.opsets === undefined ? {} : { opsets: options.opsets }),
  }
}

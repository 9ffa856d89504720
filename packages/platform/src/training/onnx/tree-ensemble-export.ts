import { addFeatureMatrix } from './feature-inputs.js'
import type { ExportOptions } from './feature-inputs.js'
import { ML_DOMAIN, OnnxGraphBuilder, attr } from './onnx-builder.js'
import type { ModelOptions } from './onnx-builder.js'
import { float32AtOrBelow } from './float32.js'
import { isLeaf, isSetSplit, validateTreeEnsemble } from './tree-ensemble-json.js'
import type { TreeEnsembleJson } from './tree-ensemble-json.js'

/** Output names of exported models; the registry reads the signature from the graph. */
export const PREDICTION_OUTPUT = 'prediction'
export const LABEL_OUTPUT = 'label'
export const PROBABILITIES_OUTPUT = 'probabilities'

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
// equality tests that a set split needs after its first get ids from nodes.length upwards.
export function flattenTreeEnsemble(model: TreeEnsembleJson): FlatTrees {
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
    const chained: { id: number; feature: number; code: number; left: number; next: number }[] = []
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
      } else if (isSetSplit(node)) {
        // x in {c1, …, ck}: "x == c1 → left, else x == c2 → left, …, else right". NaN equals
        // nothing, so it ends on the right, as an unknown code does.
        const ids = node.categories.map((_, j) => (j === 0 ? i : nextId++))
        node.categories.forEach((code, j) => {
          const next = ids[j + 1] ?? node.right
          if (j === 0) branch(t, i, node.feature, code, 'BRANCH_EQ', node.left, next, false)
          else chained.push({ id: ids[j]!, feature: node.feature, code, left: node.left, next })
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
    for (const c of chained) branch(t, c.id, c.feature, c.code, 'BRANCH_EQ', c.left, c.next, false)
  })
  return flat
}

/**
 * Exports a tree ensemble to ONNX: named inputs (see addFeatureMatrix), concatenated, then
 * TreeEnsembleRegressor (output `prediction` [N, 1]) or TreeEnsembleClassifier (outputs `label`
 * int64 [N] and `probabilities` float [N, nClasses]; LOGISTIC for binary, SOFTMAX for multiclass).
 */
export function exportTreeEnsemble(
  model: TreeEnsembleJson,
  options: ExportOptions = {},
): Uint8Array {
  validateTreeEnsemble(model)
  const flat = flattenTreeEnsemble(model)
  const builder = new OnnxGraphBuilder()
  const features = addFeatureMatrix(builder, model.featureNames, options.columns)
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

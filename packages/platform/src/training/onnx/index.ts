export {
  DEFAULT_OPSETS,
  IR_VERSION,
  ML_DOMAIN,
  OnnxGraphBuilder,
  attr,
  zipMapType,
} from './onnx-builder.js'
export type {
  AttributeValue,
  Dim,
  ElemType,
  ModelOptions,
  NodeSpec,
  TensorSpec,
} from './onnx-builder.js'
export { addFeatureMatrix } from './feature-inputs.js'
export type { ExportOptions } from './feature-inputs.js'
export {
  FEATURE_MATRIX,
  addColumnInputs,
  addImputer,
  addOneHotEncoder,
  addOrdinalEncoder,
  columnWidth,
} from './preprocessing-export.js'
export type { ColumnSpec } from './preprocessing-export.js'
export { isLeaf, scoreCount, validateTreeEnsemble } from './tree-ensemble-json.js'
export type {
  TreeEnsembleJson,
  TreeJson,
  TreeLeafNode,
  TreeNode,
  TreeSplitNode,
} from './tree-ensemble-json.js'
export { evaluateTreeEnsemble, treeEnsembleRawScores } from './tree-ensemble-eval.js'
export type { TreeEnsemblePrediction } from './tree-ensemble-eval.js'
export {
  LABEL_OUTPUT,
  PREDICTION_OUTPUT,
  PROBABILITIES_OUTPUT,
  exportTreeEnsemble,
} from './tree-ensemble-export.js'
export { exportLinearClassifier, exportLinearRegressor } from './linear-export.js'
export type { LinearModelJson } from './linear-export.js'
export { inspectOnnx } from './onnx-import.js'
export type { OnnxInspection, OnnxValueSignature } from './onnx-import.js'
export { OnnxModel } from './onnx-runtime.js'
export type { OnnxFeed, OnnxOutput } from './onnx-runtime.js'
export { replaceZipMapOutputs } from './onnx-zipmap.js'
export type { ReplacedZipMap } from './onnx-zipmap.js'

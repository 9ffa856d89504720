import type { ModelSignature, SignatureField } from '@ballast/contracts'
import type { OnnxInspection, OnnxValueSignature } from '../training/index.js'

/** ONNX element types → the numpy dtypes MLflow's tensor specs name. */
const DTYPES: Record<string, string> = {
  float: 'float32',
  double: 'float64',
  float16: 'float16',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  bool: 'bool',
  string: 'str',
}

function field(value: OnnxValueSignature): SignatureField {
  const elem = /^tensor\((\w+)\)$/.exec(value.type)?.[1]
  const dtype = elem === undefined ? 'object' : (DTYPES[elem] ?? elem)
  // A symbolic or unknown dimension is any size: MLflow writes -1.
  const shape = (value.shape ?? [-1]).map((d) => (typeof d === 'number' ? d : -1))
  return { name: value.name, type: 'tensor', tensorSpec: { dtype, shape } }
}

/** A tensor-based signature read from the graph's inputs and outputs. */
export function signatureFromOnnx(inspection: OnnxInspection): ModelSignature {
  return { inputs: inspection.inputs.map(field), outputs: inspection.outputs.map(field) }
}

import { ML_DOMAIN, OnnxGraphBuilder, attr, zipMapType } from '../onnx-builder.js'

/** A classifier shaped like skl2onnx's: probabilities as a ZipMap list of {class: p}. */
export function zipMapClassifier(): Uint8Array {
  const builder = new OnnxGraphBuilder().input('float_input', 'float', [null, 2])
  builder.node({
    opType: 'LinearClassifier',
    domain: ML_DOMAIN,
    inputs: ['float_input'],
    outputs: ['output_label', 'probability_tensor'],
    attributes: {
      coefficients: attr.floats([1, -1]),
      intercepts: attr.floats([0]),
      classlabels_ints: attr.ints([0, 1]),
      post_transform: attr.string('LOGISTIC'),
    },
  })
  builder.node({
    opType: 'ZipMap',
    domain: ML_DOMAIN,
    inputs: ['probability_tensor'],
    outputs: ['output_probability'],
    attributes: { classlabels_int64s: attr.ints([0, 1]) },
  })
  builder
    .output('output_label', 'int64', [null])
    .outputOfType('output_probability', zipMapType('int64'))
  return builder.build()
}

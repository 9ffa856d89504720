import { describe, expect, it } from 'vitest'
import onnxProto from 'onnx-proto'
import { exportLinearClassifier } from './linear-export.js'
import { OnnxGraphBuilder } from './onnx-builder.js'
import { inspectOnnx } from './onnx-import.js'
import { OnnxModel } from './onnx-runtime.js'
import { zipMapClassifier } from './test-support/zipmap-classifier.js'

async function refusal(bytes: Uint8Array): Promise<{ code: string; message: string }> {
  try {
    await inspectOnnx(bytes)
  } catch (error) {
    const { code, message } = error as { code: string; message: string }
    return { code, message }
  }
  throw new Error('inspectOnnx accepted the bytes')
}

function seededBytes(n: number, seed: number): Uint8Array {
  let s = seed
  return Uint8Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s >> 16
  })
}

describe('inspectOnnx', () => {
  it('reads the signature, opsets and operators of an exported model', async () => {
    const bytes = exportLinearClassifier(
      { coefficients: [[1]], intercepts: [0], classes: ['no', 'yes'], featureNames: ['x'] },
      { columns: [{ kind: 'onehot', name: 'x', categories: ['a'] }] },
    )
    expect(await inspectOnnx(bytes)).toEqual({
      irVersion: 8,
      producer: { name: 'ballast', version: '' },
      opsets: { 'ai.onnx': 17, 'ai.onnx.ml': 3 },
      inputs: [{ name: 'x', type: 'tensor(string)', shape: ['N', 1], zipMap: false }],
      outputs: [
        { name: 'label', type: 'tensor(string)', shape: ['N'], zipMap: false },
        { name: 'probabilities', type: 'tensor(float)', shape: ['N', 2], zipMap: false },
      ],
      operators: [
        { domain: 'ai.onnx', opType: 'Concat' },
        { domain: 'ai.onnx', opType: 'Reshape' },
        { domain: 'ai.onnx.ml', opType: 'LinearClassifier' },
        { domain: 'ai.onnx.ml', opType: 'OneHotEncoder' },
      ],
      docString: 'Linear model (linear classifier) exported by Ballast',
      metadata: { task: 'binary' },
    })
  })

  it('recognises ZipMap outputs, which the runtime wrapper leaves out', async () => {
    const bytes = zipMapClassifier()
    const info = await inspectOnnx(bytes)
    expect(info.outputs).toEqual([
      { name: 'output_label', type: 'tensor(int64)', shape: [null], zipMap: false },
      { name: 'output_probability', type: 'seq(map(int64,float))', shape: null, zipMap: true },
    ])
    const model = await OnnxModel.load(bytes)
    const out = await model.run({ float_input: Float32Array.of(3, 1, 0, 2) }, 2)
    expect(Object.keys(out)).toEqual(['output_label'])
    expect(out.output_label?.values).toEqual([1, 0])
  })

  it('refuses a pickle file without loading it', async () => {
    const pickle = Uint8Array.of(0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x8c)
    expect(await refusal(pickle)).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message:
        'not a usable ONNX model: this is a Python pickle file; pickle files are never loaded, export the model to ONNX',
    })
  })

  it('refuses a zip archive such as a PyTorch checkpoint', async () => {
    const zip = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0)
    expect((await refusal(zip)).message).toBe(
      'not a usable ONNX model: this is a zip archive (e.g. a PyTorch checkpoint, which holds pickles), not ONNX',
    )
  })

  it('refuses random bytes and an empty file', async () => {
    const random = await refusal(seededBytes(512, 7))
    expect(random.code).toBe('INVALID_PARAMETER_VALUE')
    expect(random.message).toMatch(/^not a usable ONNX model: not a protobuf ModelProto \(.+\)$/)
    expect((await refusal(new Uint8Array())).message).toBe(
      'not a usable ONNX model: the file is empty',
    )
  })

  it('refuses a ModelProto without a graph', async () => {
    const bytes = onnxProto.onnx.ModelProto.encode({ irVersion: 8, producerName: 'x' }).finish()
    expect((await refusal(bytes)).message).toBe(
      'not a usable ONNX model: the ModelProto has no graph',
    )
  })

  it('refuses a custom-domain operator and names it', async () => {
    const builder = new OnnxGraphBuilder().input('x', 'float', ['N', 1])
    builder.node({ opType: 'FancyTree', domain: 'com.example', inputs: ['x'], outputs: ['y'] })
    builder.output('y', 'float', ['N', 1])
    const bytes = builder.build({ opsets: { '': 17, 'com.example': 1 } })
    expect(await refusal(bytes)).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message:
        "not a usable ONNX model: operator 'FancyTree' of custom domain 'com.example' needs a custom operator library; only ai.onnx, ai.onnx.ml and com.microsoft operators are supported",
    })
  })

  it('refuses tensors whose data lives in an external file', async () => {
    const builder = new OnnxGraphBuilder().input('x', 'float', ['N', 1])
    builder.initializer({ name: 'w', elemType: 'float', dims: [1], values: [] })
    builder.node({ opType: 'Mul', inputs: ['x', 'w'], outputs: ['y'] })
    builder.output('y', 'float', ['N', 1])
    const model = onnxProto.onnx.ModelProto.decode(builder.build())
    const weight = model.graph?.initializer?.[0]
    if (!weight) throw new Error('the model has no initializer')
    weight.dataLocation = onnxProto.onnx.TensorProto.DataLocation.EXTERNAL
    weight.externalData = [{ key: 'location', value: '../../secrets.bin' }]
    const bytes = onnxProto.onnx.ModelProto.encode(model).finish()
    expect((await refusal(bytes)).message).toBe(
      "not a usable ONNX model: tensor 'w' keeps its data in an external file; only self-contained models are accepted (save it with the weights inside)",
    )
  })

  it("passes on onnxruntime's reason when the graph does not load", async () => {
    const builder = new OnnxGraphBuilder().input('x', 'float', ['N', 1])
    builder.node({ opType: 'Relu', inputs: ['missing'], outputs: ['y'] })
    builder.output('y', 'float', ['N', 1])
    const { message } = await refusal(builder.build())
    expect(message).toMatch(/^not a usable ONNX model: onnxruntime cannot load it: .*missing/)
  })
})

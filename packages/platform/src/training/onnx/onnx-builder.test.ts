import { describe, expect, it } from 'vitest'
import onnxProto from 'onnx-proto'
import { OnnxGraphBuilder, attr } from './onnx-builder.js'
import { OnnxModel } from './onnx-runtime.js'

describe('OnnxGraphBuilder', () => {
  it('writes a ModelProto with producer, opsets, doc string, metadata and typed attributes', () => {
    const builder = new OnnxGraphBuilder().input('x', 'float', ['N', 2])
    builder.node({
      opType: 'Scaler',
      domain: 'ai.onnx.ml',
      inputs: ['x'],
      outputs: ['y'],
      attributes: { offset: attr.floats([1, 2]), scale: attr.floats([0.5, 4]) },
    })
    builder.output('y', 'float', ['N', 2])
    const bytes = builder.build({ docString: 'scaler', metadata: { owner: 'data-team' } })
    const model = onnxProto.onnx.ModelProto.decode(bytes)
    expect(model.producerName).toBe('ballast')
    expect(model.docString).toBe('scaler')
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', 17],
      ['ai.onnx.ml', 3],
    ])
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([['owner', 'data-team']])
    const scale = model.graph?.node?.[0]?.attribute?.find((a) => a.name === 'scale')
    expect(scale?.type).toBe(onnxProto.onnx.AttributeProto.AttributeType.FLOATS)
    expect(scale?.floats).toEqual([0.5, 4])
  })

  it('builds a graph onnxruntime runs: Scaler computes (x - offset) * scale', async () => {
    const builder = new OnnxGraphBuilder().input('x', 'float', ['N', 2])
    builder.node({
      opType: 'Scaler',
      domain: 'ai.onnx.ml',
      inputs: ['x'],
      outputs: ['y'],
      attributes: { offset: attr.floats([1, 2]), scale: attr.floats([0.5, 4]) },
    })
    builder.output('y', 'float', ['N', 2])
    const out = await (await OnnxModel.load(builder.build())).run({ x: Float32Array.of(3, 3) }, 1)
    expect(out.y).toEqual({ dims: [1, 2], values: [1, 4] })
  })

  it('feeds a rank-1 input as [rows] and a rank-3 input with its declared dimensions', async () => {
    const builder = new OnnxGraphBuilder()
      .input('v', 'float', ['N'])
      .input('img', 'float', ['N', 2, 2])
    builder.node({ opType: 'Identity', inputs: ['v'], outputs: ['v_out'] })
    builder.node({ opType: 'Identity', inputs: ['img'], outputs: ['img_out'] })
    builder.output('v_out', 'float', ['N']).output('img_out', 'float', ['N', 2, 2])
    const model = await OnnxModel.load(builder.build())
    const out = await model.run(
      { v: Float32Array.of(1, 2), img: Float32Array.from({ length: 8 }, (_, i) => i) },
      2,
    )
    expect(out.v_out).toEqual({ dims: [2], values: [1, 2] })
    expect(out.img_out).toEqual({ dims: [2, 2, 2], values: [0, 1, 2, 3, 4, 5, 6, 7] })
  })

  it('encodes a node when it is added: arrays changed afterwards do not reach the model', () => {
    const offset = Float32Array.of(1, 2)
    const builder = new OnnxGraphBuilder().input('x', 'float', ['N', 2])
    builder.node({
      opType: 'Scaler',
      domain: 'ai.onnx.ml',
      inputs: ['x'],
      outputs: ['y'],
      attributes: { offset: attr.floats(offset), scale: attr.floats([1, 1]) },
    })
    offset[0] = 99
    const model = onnxProto.onnx.ModelProto.decode(builder.output('y', 'float', ['N', 2]).build())
    const attribute = model.graph?.node?.[0]?.attribute?.find((a) => a.name === 'offset')
    expect(attribute?.floats).toEqual([1, 2])
  })

  it('refuses a value name defined twice, naming it', () => {
    const builder = new OnnxGraphBuilder().input('label', 'float', ['N', 1])
    expect(() =>
      builder.node({ opType: 'Identity', inputs: ['label'], outputs: ['label'] }),
    ).toThrow("ONNX graph value 'label' is defined twice; rename the feature or column 'label'")
  })
})

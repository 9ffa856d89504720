import { describe, expect, it } from 'vitest'
import { inspectOnnx } from './onnx-import.js'
import { OnnxModel } from './onnx-runtime.js'
import { replaceZipMapOutputs } from './onnx-zipmap.js'
import { zipMapClassifier } from './test-support/zipmap-classifier.js'

describe('replaceZipMapOutputs', () => {
  it('replaces a ZipMap output by its probability tensor, keeping the name and class order', async () => {
    const { bytes, replaced } = replaceZipMapOutputs(zipMapClassifier())
    expect(replaced).toEqual([{ output: 'output_probability', classes: [0, 1] }])
    const info = await inspectOnnx(bytes)
    expect(info.outputs[1]).toEqual({
      name: 'output_probability',
      type: 'tensor(float)',
      shape: ['N', 2],
      zipMap: false,
    })
    const out = await (
      await OnnxModel.load(bytes)
    ).run({ float_input: Float32Array.of(3, 1, 0, 2) }, 2)
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))
    const expected = [2, -2].flatMap((z) => [1 - sigmoid(z), sigmoid(z)])
    expect(out.output_probability?.dims).toEqual([2, 2])
    ;(out.output_probability?.values as number[]).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 6),
    )
  })

  it('leaves a model without ZipMap untouched', () => {
    const bytes = zipMapClassifier()
    const once = replaceZipMapOutputs(bytes).bytes
    const twice = replaceZipMapOutputs(once)
    expect(twice.replaced).toEqual([])
    expect(twice.bytes).toBe(once)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ML_DOMAIN, OnnxGraphBuilder, attr } from '../../training/index.js'
import { zipMapClassifier } from '../../training/onnx/test-support/zipmap-classifier.js'
import type { LoadedModel } from '../serving-types.js'
import { loadModel } from './load-model.js'
import { type RegistryFixture, openRegistryFixture } from './test-support/registered-models.js'

/** y = 0.5 + x·(1, 2, 3), as skl2onnx writes a LinearRegression. */
function linearRegressor(): Uint8Array {
  return new OnnxGraphBuilder()
    .input('features', 'float', [null, 3])
    .node({
      opType: 'LinearRegressor',
      domain: ML_DOMAIN,
      inputs: ['features'],
      outputs: ['variable'],
      attributes: { coefficients: attr.floats([1, 2, 3]), intercepts: attr.floats([0.5]) },
    })
    .output('variable', 'float', [null, 1])
    .build()
}

/** y = on + k: a boolean and an int64 tensor input, one value per row. */
function boolAndInt(): Uint8Array {
  return new OnnxGraphBuilder()
    .input('on', 'bool', ['N'])
    .input('k', 'int64', ['N'])
    .node({ opType: 'Cast', inputs: ['on'], outputs: ['on_f'], attributes: { to: attr.int(1) } })
    .node({ opType: 'Cast', inputs: ['k'], outputs: ['k_f'], attributes: { to: attr.int(1) } })
    .node({ opType: 'Add', inputs: ['on_f', 'k_f'], outputs: ['y'] })
    .output('y', 'float', ['N'])
    .build()
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

let fixture: RegistryFixture
const opened: LoadedModel[] = []

async function load(name: string, version: number): Promise<LoadedModel> {
  const model = await loadModel(fixture.services, name, version)
  opened.push(model)
  return model
}

beforeAll(async () => {
  fixture = await openRegistryFixture()
})
afterAll(async () => {
  for (const model of opened) await model.close()
  await fixture.dispose()
})

describe('loadModel: imported ONNX classifiers with ZipMap outputs', () => {
  /** The classifier's probabilities: score = x0 - x1, P(1) = sigmoid(score). */
  function expectClassifier(served: LoadedModel) {
    return async () => {
      const [first, second] = await served.predictRecords([
        { float_input: [1, 2] },
        { float_input: [[3, 0.5]] },
      ])
      expect(first!.prediction).toBe(0)
      expect(second!.prediction).toBe(1)
      expect(first!.probabilities!['1']).toBeCloseTo(sigmoid(-1), 6)
      expect(first!.probabilities!['0']).toBeCloseTo(1 - sigmoid(-1), 6)
      expect(second!.probabilities!['1']).toBeCloseTo(sigmoid(2.5), 6)

      const [label, probability] = await served.infer([
        { name: 'float_input', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 0.5] },
      ])
      expect(label).toEqual({ name: 'output_label', shape: [2], datatype: 'INT64', data: [0, 1] })
      expect(probability).toMatchObject({
        name: 'output_probability',
        shape: [2, 2],
        datatype: 'FP32',
      })
      const p = probability!.data as number[]
      expect(p[1]).toBeCloseTo(sigmoid(-1), 6)
      expect(p[3]).toBeCloseTo(sigmoid(2.5), 6)
    }
  }

  it('imported through Ballast (rewritten at import): tensor inputs, class labels as given', async () => {
    const version = await fixture.importOnnx('zipmap', zipMapClassifier())
    const served = await load('zipmap', version)
    expect(served.task).toBe('classification')
    expect(served.classes).toEqual([0, 1])
    expect(served.inputs).toEqual([
      { name: 'float_input', type: 'tensor', datatype: 'FP32', shape: [-1, 2] },
    ])
    expect(served.outputs).toEqual([
      { name: 'output_label', datatype: 'INT64', shape: [-1] },
      { name: 'output_probability', datatype: 'FP32', shape: [-1, 2] },
    ])
    await expectClassifier(served)()
    await served.warm()
  })

  it('registered from an MLflow package with the ZipMap still in the graph', async () => {
    const version = await fixture.registerPackage('zipmap-mlflow', {
      onnx: zipMapClassifier(),
      signature: {
        inputs: [
          { name: 'float_input', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 2] } },
        ],
        outputs: [],
      },
    })
    const served = await load('zipmap-mlflow', version)
    expect(served.task).toBe('classification')
    expect(served.classes).toEqual([0, 1])
    await expectClassifier(served)()
  })

  it('names a record value of the wrong width or type', async () => {
    const served = opened[0]!
    const rejects = (records: Record<string, unknown>[], message: string) =>
      expect(served.predictRecords(records)).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message,
      })
    await rejects([{ float_input: [1, 2, 3] }], 'records[0].float_input: expected 2 values, got 3')
    await rejects(
      [{ float_input: [1, 2] }, { float_input: 1 }],
      'records[1].float_input: expected an array of 2 values, got 1',
    )
    await rejects(
      [{ float_input: [1, 'a'] }],
      'records[0].float_input[1]: expected a number, got "a"',
    )
    await rejects(
      [{ float_input: null }],
      'records[0].float_input: expected an array of 2 values, got null',
    )
  })
})

describe('loadModel: imported regressors', () => {
  it('serves one value per record from a [N, 3] tensor input', async () => {
    const version = await fixture.importOnnx('linear', linearRegressor())
    const served = await load('linear', version)
    expect(served.classes).toBeNull()
    expect(await served.predictRecords([{ features: [1, 1, 1] }, { features: [0, 0, 2] }])).toEqual(
      [{ prediction: 6.5 }, { prediction: 6.5 }],
    )
    expect(
      await served.infer([{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 0, 0] }]),
    ).toEqual([{ name: 'variable', shape: [1, 1], datatype: 'FP32', data: [1.5] }])
    await served.warm()
  })

  it('feeds bool and int64 tensors, and checks their elements', async () => {
    const version = await fixture.importOnnx('bool-int', boolAndInt())
    const served = await load('bool-int', version)
    expect(served.inputs).toEqual([
      { name: 'on', type: 'tensor', datatype: 'BOOL', shape: [-1] },
      { name: 'k', type: 'tensor', datatype: 'INT64', shape: [-1] },
    ])
    expect(
      await served.predictRecords([
        { on: true, k: 4 },
        { on: false, k: -2 },
      ]),
    ).toEqual([{ prediction: 5 }, { prediction: -2 }])
    expect(
      await served.infer([
        { name: 'on', shape: [2], datatype: 'BOOL', data: [true, true] },
        { name: 'k', shape: [2], datatype: 'INT64', data: [1, 2] },
      ]),
    ).toEqual([{ name: 'y', shape: [2], datatype: 'FP32', data: [2, 3] }])
    await expect(served.predictRecords([{ on: 'yes', k: 1 }])).rejects.toThrow(
      'records[0].on: expected true or false, got "yes"',
    )
    await expect(served.predictRecords([{ on: true, k: 1.5 }])).rejects.toThrow(
      'records[0].k: expected an integer, got 1.5',
    )
    await expect(served.predictRecords([{ on: true, k: null }])).rejects.toThrow(
      'records[0].k: expected an integer, got null',
    )
    await served.warm()
  })
})

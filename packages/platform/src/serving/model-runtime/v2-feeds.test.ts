import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainTabular } from '../../training/index.js'
import { syntheticTable } from '../../training/tabular/test-support/synthetic-table.js'
import type { LoadedModel, V2Tensor } from '../serving-types.js'
import { loadModel } from './load-model.js'
import { type RegistryFixture, openRegistryFixture } from './test-support/registered-models.js'

const RECORDS = [
  { x: 1.5, n: 3, flag: true, color: 'red', when: '2005-06-01T12:00:00Z' },
  { x: -2.25, n: 11, flag: false, color: 'blue', when: '2009-01-31T00:00:00Z' },
]

/** The records as V2 tensors of shape [2, 1], typed as the graph takes them. */
function tensors(): V2Tensor[] {
  return [
    { name: 'x', shape: [2, 1], datatype: 'FP32', data: [1.5, -2.25] },
    { name: 'n', shape: [2, 1], datatype: 'FP32', data: [3, 11] },
    { name: 'flag', shape: [2, 1], datatype: 'FP32', data: [1, 0] },
    { name: 'color', shape: [2, 1], datatype: 'BYTES', data: ['red', 'blue'] },
    {
      name: 'when',
      shape: [2, 1],
      datatype: 'INT64',
      data: [Date.parse('2005-06-01T12:00:00Z'), Date.parse('2009-01-31T00:00:00Z')],
    },
  ]
}

let fixture: RegistryFixture
let served: LoadedModel

beforeAll(async () => {
  fixture = await openRegistryFixture()
  const trained = await trainTabular(syntheticTable(400, 7), {
    target: 'kind',
    task: 'classification',
    algo: 'gbdt',
    features: ['x', 'n', 'flag', 'color', 'when'],
    params: { numTrees: '20' },
  })
  served = await loadModel(fixture.services, 'kind', await fixture.registerTabular('kind', trained))
})
afterAll(async () => {
  await served.close()
  await fixture.dispose()
})

const rejects = (inputs: V2Tensor[], message: string, outputs?: string[]) =>
  expect(served.infer(inputs, outputs)).rejects.toMatchObject({
    code: 'INVALID_PARAMETER_VALUE',
    message,
  })

const replace = (index: number, change: Partial<V2Tensor>): V2Tensor[] =>
  tensors().map((t, i) => (i === index ? { ...t, ...change } : t))

describe('infer: V2 tensors in, V2 tensors named as the outputs out', () => {
  it('answers as predictRecords does, with int64 labels as numbers', async () => {
    const [label, probabilities] = await served.infer(tensors())
    const records = await served.predictRecords(RECORDS)
    expect(label).toMatchObject({ name: 'label', datatype: 'INT64', shape: [2] })
    expect(label!.data.map((k) => served.classes![k as number])).toEqual(
      records.map((r) => r.prediction),
    )
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [2, 3] })
    expect(probabilities!.data).toEqual(
      records.flatMap((r) => served.classes!.map((c) => r.probabilities![String(c)])),
    )
  })

  it('returns only the outputs asked for', async () => {
    const outputs = await served.infer(tensors(), ['probabilities'])
    expect(outputs.map((o) => o.name)).toEqual(['probabilities'])
    await rejects(
      tensors(),
      "outputs[0].name: unknown output 'scores'; the model's outputs are label, probabilities",
      ['scores'],
    )
  })

  it('converts between numeric datatypes, takes BOOL for a boolean, ISO text and [N] shapes', async () => {
    const [, expected] = await served.infer(tensors())
    const loose: V2Tensor[] = [
      { name: 'x', shape: [2], datatype: 'FP64', data: [1.5, -2.25] },
      { name: 'n', shape: [2, 1], datatype: 'INT64', data: [3, 11] },
      { name: 'flag', shape: [2, 1], datatype: 'BOOL', data: [true, false] },
      { name: 'color', shape: [2, 1], datatype: 'BYTES', data: ['red', 'blue'] },
      {
        name: 'when',
        shape: [2, 1],
        datatype: 'BYTES',
        data: ['2005-06-01T12:00:00Z', '2009-01-31T00:00:00Z'],
      },
    ]
    const [, got] = await served.infer(loose)
    expect(got!.data).toEqual(expected!.data)
  })

  it('names an unknown, repeated or missing input', async () => {
    await rejects(
      [...tensors(), { name: 'speed', shape: [2, 1], datatype: 'FP32', data: [1, 2] }],
      "inputs[5].name: unknown input 'speed'; the model's inputs are x, n, flag, color, when",
    )
    await rejects([...tensors(), tensors()[0]!], "inputs[5].name: input 'x' is given twice")
    await rejects(tensors().slice(0, 4), "inputs: missing input 'when'")
  })

  it('names a datatype the input does not take', async () => {
    await rejects(
      replace(3, { datatype: 'FP32', data: [1, 2] }),
      "inputs[3].datatype: input 'color' takes BYTES, got FP32",
    )
    await rejects(
      replace(0, { datatype: 'BYTES', data: ['1.5', '2'] }),
      "inputs[0].datatype: input 'x' takes FP32, got BYTES",
    )
    await rejects(
      replace(1, { datatype: 'BOOL', data: [true, false] }),
      "inputs[1].datatype: input 'n' takes FP32, got BOOL",
    )
  })

  it('names a shape that does not fit the graph or the data', async () => {
    await rejects(
      replace(0, { shape: [1, 2] }),
      "inputs[0].shape: input 'x' has shape [-1, 1], got [1, 2]",
    )
    await rejects(
      replace(0, { shape: [2, 1, 1] }),
      "inputs[0].shape: input 'x' has shape [-1, 1], got [2, 1, 1]",
    )
    await rejects(
      replace(0, { shape: [3, 1] }),
      "inputs[0].data: input 'x' of shape [3, 1] holds 3 values, got 2",
    )
    await rejects(
      replace(1, { shape: [3, 1], data: [1, 2, 3] }),
      'inputs[1].shape: batch size 3 differs from 2 (inputs[0])',
    )
    await rejects(
      replace(0, { shape: [0, 1], data: [] }),
      "inputs[0].shape: input 'x' has shape [-1, 1], got [0, 1]: the batch is empty",
    )
  })

  it('names the element of the wrong type', async () => {
    await rejects(replace(3, { data: ['red', 7] }), 'inputs[3].data[1]: expected a string, got 7')
    await rejects(
      replace(0, { data: [1, 'abc'] }),
      'inputs[0].data[1]: expected a number, got "abc"',
    )
    await rejects(
      replace(4, { data: [1, 'soon'] }),
      'inputs[4].data[1]: expected an ISO-8601 date-time or epoch milliseconds, got "soon"',
    )
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type TabularModel,
  type TabularTable,
  type TrainRequest,
  trainTabular,
} from '../../training/index.js'
import { syntheticTable, unusualRows } from '../../training/tabular/test-support/synthetic-table.js'
import type { LoadedModel } from '../serving-types.js'
import { loadModel } from './load-model.js'
import { type RegistryFixture, openRegistryFixture } from './test-support/registered-models.js'
import { recordsOf } from './test-support/records.js'

const FEATURES = ['x', 'n', 'flag', 'color', 'when']
const table = syntheticTable(400, 11)

let fixture: RegistryFixture
const opened: LoadedModel[] = []

beforeAll(async () => {
  fixture = await openRegistryFixture()
})
afterAll(async () => {
  for (const model of opened) await model.close()
  await fixture.dispose()
})

async function trainAndLoad(
  name: string,
  request: TrainRequest,
): Promise<{ trained: TabularModel; served: LoadedModel }> {
  const trained = await trainTabular(table, request)
  const version = await fixture.registerTabular(name, trained)
  const served = await loadModel(fixture.services, name, version)
  opened.push(served)
  return { trained, served }
}

/** The first rows of the table and the unusual rows, as one batch of records. */
function probe(): { table: TabularTable; records: Record<string, unknown>[] } {
  const head = recordsOf(table, FEATURES).slice(0, 40)
  const odd = recordsOf(unusualRows(), FEATURES, { epochDates: true })
  const records = [...head, ...odd]
  const columns = table.columns
    .filter((c) => FEATURES.includes(c.name))
    .map((c) => {
      const tail = unusualRows().columns.find((u) => u.name === c.name)!.values
      const values =
        c.values instanceof Float64Array
          ? Float64Array.from([...c.values.slice(0, 40), ...(tail as Float64Array)])
          : [...c.values.slice(0, 40), ...(tail as (string | null)[])]
      return { ...c, values }
    })
  return { table: { rowCount: records.length, columns }, records }
}

function expectSameClassifications(trained: TabularModel, served: LoadedModel) {
  return async () => {
    const { table: rows, records } = probe()
    const expected = trained.predict(rows)
    const got = await served.predictRecords(records)
    expect(got.map((p) => p.prediction)).toEqual(expected.labels)
    got.forEach((p, i) => {
      trained.classes!.forEach((c, k) => {
        expect(Math.abs(p.probabilities![c]! - expected.probabilities![k]![i]!)).toBeLessThan(1e-5)
      })
    })
  }
}

describe('loadModel: models Ballast trained', () => {
  it('derives V2 inputs from the graph and logical types from the signature', async () => {
    const { served } = await trainAndLoad('kind-gbdt', {
      target: 'kind',
      task: 'classification',
      algo: 'gbdt',
      features: FEATURES,
      params: { numTrees: '20' },
    })
    expect(served.name).toBe('kind-gbdt')
    expect(served.version).toBe(1)
    expect(served.task).toBe('classification')
    expect(served.classes).toEqual(['high', 'low', 'mid'])
    expect(served.inputs).toEqual([
      { name: 'x', type: 'double', datatype: 'FP32', shape: [-1, 1] },
      { name: 'n', type: 'long', datatype: 'FP32', shape: [-1, 1] },
      { name: 'flag', type: 'boolean', datatype: 'FP32', shape: [-1, 1] },
      { name: 'color', type: 'string', datatype: 'BYTES', shape: [-1, 1] },
      { name: 'when', type: 'datetime', datatype: 'INT64', shape: [-1, 1] },
    ])
    expect(served.outputs).toEqual([
      { name: 'label', datatype: 'INT64', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
    ])
  })
})

describe('loadModel: predictRecords equals TabularModel.predict()', () => {
  it('gbdt classification', async () => {
    const { trained, served } = await trainAndLoad('kind-gbdt-3', {
      target: 'kind',
      task: 'classification',
      algo: 'gbdt',
      features: FEATURES,
      params: { numTrees: '30' },
    })
    await expectSameClassifications(trained, served)()
  })

  it('logistic regression (binary, integer classes)', async () => {
    const { trained, served } = await trainAndLoad('hit-logistic', {
      target: 'hit',
      task: 'classification',
      algo: 'logistic',
      features: FEATURES,
    })
    expect(served.classes).toEqual(['0', '1'])
    await expectSameClassifications(trained, served)()
  })

  it('linear regression', async () => {
    const { trained, served } = await trainAndLoad('y-linear', {
      target: 'y',
      task: 'regression',
      algo: 'linear',
      features: FEATURES,
    })
    expect(served.outputs).toEqual([{ name: 'prediction', datatype: 'FP32', shape: [-1, 1] }])
    const { table: rows, records } = probe()
    const expected = trained.predict(rows).values!
    const got = await served.predictRecords(records)
    expect(got).toHaveLength(records.length)
    got.forEach((p, i) => {
      expect(p.probabilities).toBeUndefined()
      expect(Math.abs((p.prediction as number) - expected[i]!)).toBeLessThan(1e-4)
    })
  })

  it('reads a date-time as ISO text with or without offset, or as epoch milliseconds', async () => {
    const { served } = await trainAndLoad('y-linear-dates', {
      target: 'y',
      task: 'regression',
      algo: 'linear',
      features: ['x', 'when'],
    })
    const at = (when: unknown) => ({ x: 1, when })
    const [iso, local, offset, epoch] = await served.predictRecords([
      at('2004-02-29T23:00:00Z'),
      at('2004-02-29 23:00'),
      at('2004-03-01T01:00:00+02:00'),
      at(Date.parse('2004-02-29T23:00:00Z')),
    ])
    expect(local).toEqual(iso)
    expect(offset).toEqual(iso)
    expect(epoch).toEqual(iso)
  })

  it('warms with the input example and refuses work once closed', async () => {
    const trained = await trainTabular(table, {
      target: 'y',
      task: 'regression',
      algo: 'linear',
      features: FEATURES,
    })
    const version = await fixture.registerTabular('y-closing', trained)
    const served = await loadModel(fixture.services, 'y-closing', version, { intraOpThreads: 2 })
    await served.warm()
    const running = served.predictRecords(recordsOf(table, FEATURES).slice(0, 3))
    await served.close()
    // A run under way when close() began still answers.
    expect(await running).toHaveLength(3)
    await expect(served.predictRecords(recordsOf(table, FEATURES).slice(0, 1))).rejects.toThrow(
      'model y-closing/1 is unloaded',
    )
  })

  it('refuses a version that does not exist, and a thread count below 1', async () => {
    await expect(loadModel(fixture.services, 'kind-gbdt', 9)).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Model Version (name=kind-gbdt, version=9) not found',
    })
    await expect(
      loadModel(fixture.services, 'kind-gbdt', 1, { intraOpThreads: 0 }),
    ).rejects.toThrow('intraOpThreads must be a positive integer, got 0')
  })
})

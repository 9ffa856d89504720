import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TabularModel, type TabularTable, trainTabular } from '../../training/index.js'
import { syntheticTable } from '../../training/tabular/test-support/synthetic-table.js'
import {
  openRegistryFixture,
  type RegistryFixture,
} from '../model-runtime/test-support/registered-models.js'
import { recordsOf } from '../model-runtime/test-support/records.js'
import { openDataPlane, type RunningDataPlane } from './open-data-plane.js'

const FEATURES = ['x', 'n', 'flag', 'color', 'when']
const table = syntheticTable(300, 5)

let fixture: RegistryFixture
let plane: RunningDataPlane
let registry: Registry
let trained: TabularModel

function head(rows: number): TabularTable {
  return {
    rowCount: rows,
    columns: table.columns.map((c) => ({ ...c, values: c.values.slice(0, rows) })),
  }
}

beforeAll(async () => {
  fixture = await openRegistryFixture()
  trained = await trainTabular(table, {
    target: 'kind',
    task: 'classification',
    algo: 'gbdt',
    features: FEATURES,
    params: { numTrees: '10' },
  })
  const version = await fixture.registerTabular('kind', trained)
  await fixture.services.serving.deployments.create(
    { name: 'kinds', model: `kind/${version}` },
    'tester',
  )
  registry = new Registry()
  plane = openDataPlane({
    store: fixture.services.store,
    artifacts: fixture.services.artifacts,
    registry: fixture.services.registry,
    deployments: fixture.services.serving.deployments,
    settings: {
      syncIntervalMs: 60_000,
      requestTimeoutMs: 5_000,
      maxInFlight: 8,
      predictionLog: { flushIntervalMs: 0, maxBufferedRows: 1_000 },
    },
    metricsRegistry: registry,
    server: { name: 'ballast', version: '0.0.0' },
    bodyLimitBytes: 1_000_000,
  })
  await plane.started
}, 60_000)
afterAll(async () => {
  await plane.close()
  await fixture.dispose()
})

describe('the data plane over registered models', () => {
  it('is ready once the deployment is loaded, and answers as the trained model does', async () => {
    await plane.engine.checkReady()
    const records = recordsOf(table, FEATURES).slice(0, 20)
    const { model, result } = await plane.engine.predictRecords('kinds', records, {
      requestId: 'q',
    })
    expect([model.name, model.version]).toEqual(['kind', 1])
    expect(result.map((p) => p.prediction)).toEqual(trained.predict(head(20)).labels)
  })

  it('answers V2 tensors and refuses a wrong column with 400 naming it', async () => {
    const { result } = await plane.engine.infer(
      'kinds',
      [
        { name: 'x', datatype: 'FP32', shape: [1, 1], data: [1.5] },
        { name: 'n', datatype: 'FP32', shape: [1, 1], data: [3] },
        { name: 'flag', datatype: 'BOOL', shape: [1, 1], data: [true] },
        { name: 'color', datatype: 'BYTES', shape: [1, 1], data: ['red'] },
        { name: 'when', datatype: 'BYTES', shape: [1, 1], data: ['2005-03-01T10:00:00Z'] },
      ],
      undefined,
      { requestId: 'v2' },
    )
    expect(result.map((t) => t.name).sort()).toEqual(['label', 'probabilities'])
    await expect(
      plane.engine.predictRecords('kinds', [{ ...recordsOf(table, FEATURES)[0], x: 'high' }], {
        requestId: 'bad',
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('records[0].x: expected a number'),
    })
  })

  it('writes every answered record to the prediction log on close', async () => {
    await plane.close()
    const text = await registry.metrics()
    // 20 records, then one V2 row; the refused record is not logged.
    expect(text).toContain('ballast_prediction_log_written_rows_total 21')
    // Every answered record counts under its predicted class, V2 answers too.
    const counts = [
      ...text.matchAll(
        /ballast_serving_predicted_class_total\{deployment="kinds",model="kind",version="1",class="(low|mid|high)"\} (\d+)/g,
      ),
    ]
    expect(counts.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(21)
  })
})

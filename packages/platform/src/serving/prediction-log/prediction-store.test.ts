import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { remoteView } from '../../artifacts/test-support/remote-view.js'
import { type FeedbackService, createFeedbackService } from './feedback-service.js'
import { PredictionLog } from './prediction-log.js'
import { type PredictionStore, createPredictionStore } from './prediction-store.js'
import { sqlLiteral } from './segment-file.js'
import {
  type PredictionLogFixture,
  openPredictionLogFixture,
  predictionRow,
} from './test-support/prediction-log-fixture.js'

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)

let f: PredictionLogFixture
let feedback: FeedbackService
let predictions: PredictionStore
beforeEach(async () => {
  f = await openPredictionLogFixture()
  feedback = createFeedbackService({ store: f.store, now: () => T0 + 60_000 })
  predictions = createPredictionStore({
    store: f.store,
    artifacts: f.artifacts,
    feedback,
    engine: async () => f.engine,
  })
  const log = new PredictionLog({
    store: f.store,
    artifacts: f.artifacts,
    engine: f.engine,
    flushIntervalMs: 0,
  })
  // Two flushes: segments [T0, T0+2] and [T0+3, T0+5], plus another deployment's.
  log.append(predictionRow('r-0', T0))
  log.append(predictionRow('r-1', T0 + 1))
  log.append(predictionRow('r-2', T0 + 2, { shadow: true, version: 4 }))
  log.append(predictionRow('x-0', T0 + 2, { deployment: 'fraud' }))
  await log.flush()
  log.append(predictionRow('r-3', T0 + 3))
  log.append(predictionRow('r-4', T0 + 4))
  log.append(predictionRow('r-5', T0 + 5))
  await log.close()
})
afterEach(async () => {
  await f.dispose()
})

async function readOutput(file: string) {
  return f.engine.all(
    `SELECT request_id, version, epoch_ms(time) AS time_ms, shadow, label, epoch_ms(label_time) AS label_time_ms FROM read_parquet(${sqlLiteral(file)})`,
  )
}

describe('PredictionStore.query', () => {
  it('opens only the segments overlapping the range, filtered to it', async () => {
    const files = await predictions.query({ deployment: 'churn', from: T0 + 3, to: T0 + 5 })
    try {
      expect(files.segments.map((s) => [s.minTime - T0, s.maxTime - T0])).toEqual([[3, 5]])
      expect(files.files).toEqual([f.artifacts.blobPath(files.segments[0]?.blobDigest ?? '')])
      const rows = await f.engine.all(`SELECT request_id FROM ${files.relation} ORDER BY time`)
      expect(rows.map((r) => r.request_id)).toEqual(['r-3', 'r-4'])
    } finally {
      await files.dispose()
    }
  })

  it('leaves shadow answers out unless asked', async () => {
    const count = async (includeShadow: boolean) => {
      const files = await predictions.query({ deployment: 'churn', includeShadow })
      try {
        return (
          await f.engine.all(`SELECT request_id FROM ${files.relation} ORDER BY request_id`)
        ).map((r) => r.request_id)
      } finally {
        await files.dispose()
      }
    }
    expect(await count(false)).toEqual(['r-0', 'r-1', 'r-3', 'r-4', 'r-5'])
    expect(await count(true)).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-5'])
  })

  it('is an empty relation with the segment columns when nothing matches', async () => {
    const files = await predictions.query({ deployment: 'nobody' })
    expect(files.files).toEqual([])
    const columns = await f.engine.all(`DESCRIBE SELECT * FROM ${files.relation}`)
    expect(columns.map((c) => c.column_name)).toEqual([
      'request_id',
      'deployment',
      'model',
      'version',
      'time',
      'latency_ms',
      'inputs',
      'outputs',
      'shadow',
    ])
    expect(await f.engine.all(`SELECT * FROM ${files.relation}`)).toEqual([])
  })

  it('copies segments to a temporary folder when the store is not local, removed on dispose', async () => {
    const remote = createPredictionStore({
      store: f.store,
      artifacts: remoteView(f.artifacts, 's3://test/predictions'),
      feedback,
      engine: async () => f.engine,
    })
    const files = await remote.query({ deployment: 'churn', from: T0, to: T0 + 2 })
    expect(files.files).toHaveLength(1)
    expect(files.files[0]).not.toContain(f.dir)
    const rows = await f.engine.all(`SELECT request_id FROM ${files.relation} ORDER BY time`)
    expect(rows.map((r) => r.request_id)).toEqual(['r-0', 'r-1'])
    await files.dispose()
    await expect(f.engine.all(`SELECT * FROM ${files.relation}`)).rejects.toThrow()
  })

  it('refuses a range that ends before it starts', async () => {
    await expect(predictions.query({ deployment: 'churn', from: T0 + 1, to: T0 })).rejects.toThrow(
      "Invalid value for parameter 'to': it is before 'from'",
    )
  })
})

describe('PredictionStore.exportPredictions', () => {
  it('writes the range’s predictions with their labels (null where none), in time order', async () => {
    await feedback.record('churn', [
      { request_id: 'r-1', label: 'yes' },
      { request_id: 'r-4', label: 'no' },
      { request_id: 'r-9', label: 'no' },
    ])
    await feedback.record('fraud', [{ request_id: 'r-3', label: 'fraud' }])
    const output = path.join(f.dir, 'out.parquet')
    expect(
      await predictions.exportPredictions({
        deployment: 'churn',
        from: T0 + 1,
        to: T0 + 5,
        output,
      }),
    ).toEqual({ rows: 3, labeled: 2, segments: 2 })
    expect(await readOutput(output)).toEqual([
      {
        request_id: 'r-1',
        version: 3,
        time_ms: T0 + 1,
        shadow: false,
        label: 'yes',
        label_time_ms: T0 + 60_000,
      },
      {
        request_id: 'r-3',
        version: 3,
        time_ms: T0 + 3,
        shadow: false,
        label: null,
        label_time_ms: null,
      },
      {
        request_id: 'r-4',
        version: 3,
        time_ms: T0 + 4,
        shadow: false,
        label: 'no',
        label_time_ms: T0 + 60_000,
      },
    ])
  })

  it('includes shadow answers when asked, labelled like the primary ones', async () => {
    await feedback.record('churn', [{ request_id: 'r-2', label: 'yes' }])
    const output = path.join(f.dir, 'shadow.parquet')
    expect(
      await predictions.exportPredictions({
        deployment: 'churn',
        from: T0 + 2,
        to: T0 + 3,
        includeShadow: true,
        output,
      }),
    ).toEqual({ rows: 1, labeled: 1, segments: 1 })
    expect(await readOutput(output)).toEqual([
      {
        request_id: 'r-2',
        version: 4,
        time_ms: T0 + 2,
        shadow: true,
        label: 'yes',
        label_time_ms: T0 + 60_000,
      },
    ])
  })

  it('writes an empty file with the columns when nothing was logged in the range', async () => {
    const output = path.join(f.dir, 'empty.parquet')
    expect(
      await predictions.exportPredictions({ deployment: 'churn', from: T0 + 100, output }),
    ).toEqual({ rows: 0, labeled: 0, segments: 0 })
    const columns = await f.engine.all(`DESCRIBE SELECT * FROM read_parquet(${sqlLiteral(output)})`)
    expect(columns.map((c) => c.column_name)).toContain('label')
  })
})

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalArtifactStore } from '../../../artifacts/index.js'
import { DuckEngine } from '../../../data/index.js'
import type { MetadataStore } from '../../../storage/index.js'
import { openTestSqliteStore } from '../../../storage/test-support/test-stores.js'
import type { PredictionRow } from '../../serving-types.js'

export interface PredictionLogFixture {
  store: MetadataStore
  artifacts: LocalArtifactStore
  engine: DuckEngine
  dir: string
  dispose(): Promise<void>
}

/** A migrated SQLite store, local artifacts and a DuckDB engine in a temporary folder. */
export async function openPredictionLogFixture(): Promise<PredictionLogFixture> {
  const testStore = await openTestSqliteStore()
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-prediction-log-'))
  const artifacts = new LocalArtifactStore(path.join(dir, 'artifacts'))
  await artifacts.init()
  const engine = await DuckEngine.open({ threads: 1 })
  return {
    store: testStore.store,
    artifacts,
    engine,
    dir,
    async dispose() {
      engine.close()
      await artifacts.close()
      await testStore.dispose()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A logged prediction at `time` (epoch ms) with recognizable values. */
export function predictionRow(
  requestId: string,
  time: number,
  overrides: Partial<PredictionRow> = {},
): PredictionRow {
  return {
    requestId,
    deployment: 'churn',
    model: 'churn-model',
    version: 3,
    time,
    latencyMs: 1.25,
    inputs: JSON.stringify({ tenure: 12, plan: 'basic' }),
    outputs: JSON.stringify({ prediction: 'yes', probabilities: { no: 0.25, yes: 0.75 } }),
    shadow: false,
    ...overrides,
  }
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LocalArtifactStore } from '../../../artifacts/index.js'
import { remoteView } from '../../../artifacts/test-support/remote-view.js'
import { DuckEngine } from '../../../data/index.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { createFeedbackService } from '../feedback-service.js'
import { PredictionLog } from '../prediction-log.js'
import { listSegments } from '../prediction-segments.js'
import { type PredictionStore, createPredictionStore } from '../prediction-store.js'
import { compactSegments } from '../segment-compaction.js'
import { sqlLiteral } from '../segment-file.js'
import { predictionRow } from './prediction-log-fixture.js'

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)
const AN_HOUR_LATER = () => T0 + 3_600_000

/** Segment compaction, run on every metadata backend. */
export function runCompactionSuite(open: () => Promise<TestStore>): void {
  describe('compactSegments', () => {
    let t: TestStore
    let dir: string
    let artifacts: LocalArtifactStore
    let engine: DuckEngine
    let predictions: PredictionStore

    beforeEach(async () => {
      t = await open()
      dir = mkdtempSync(path.join(tmpdir(), 'ballast-compaction-test-'))
      artifacts = new LocalArtifactStore(path.join(dir, 'artifacts'))
      await artifacts.init()
      engine = await DuckEngine.open({ threads: 1 })
      predictions = createPredictionStore({
        store: t.store,
        artifacts,
        feedback: createFeedbackService({ store: t.store, now: () => T0 }),
        engine: async () => engine,
      })
      const log = new PredictionLog({ store: t.store, artifacts, engine, flushIntervalMs: 0 })
      // Six flushes of three rows: equal times inside a flush, a shadow row, varied values.
      for (let flush = 0; flush < 6; flush++) {
        for (let i = 0; i < 3; i++) {
          const n = flush * 3 + i
          log.append(
            predictionRow(
              `r-${String(n).padStart(2, '0')}`,
              T0 + flush * 1000 + (i === 2 ? 1 : 0),
              {
                version: flush,
                latencyMs: n / 4,
                shadow: n === 7,
                outputs: JSON.stringify({ prediction: n }),
              },
            ),
          )
        }
        if (flush === 0) log.append(predictionRow('x-0', T0, { deployment: 'fraud' }))
        await log.flush()
      }
      await log.close()
    })
    afterEach(async () => {
      engine.close()
      await artifacts.close()
      await t.dispose()
      rmSync(dir, { recursive: true, force: true })
    })

    async function queried(deployment = 'churn') {
      const files = await predictions.query({ deployment, includeShadow: true })
      try {
        return await engine.all(
          `SELECT request_id, deployment, model, version, epoch_ms(time) AS time_ms, latency_ms, inputs, outputs, shadow FROM ${files.relation}`,
        )
      } finally {
        await files.dispose()
      }
    }

    async function parquetSchema(digest: string) {
      return engine.all(
        `SELECT name, type, converted_type, logical_type FROM parquet_schema(${sqlLiteral(artifacts.blobPath(digest))})`,
      )
    }

    async function exported() {
      const output = path.join(dir, `export-${Math.random()}.parquet`)
      const result = await predictions.exportPredictions({ deployment: 'churn', output })
      const rows = await engine.all(
        `SELECT request_id, version, epoch_ms(time) AS time_ms, latency_ms, outputs FROM read_parquet(${sqlLiteral(output)})`,
      )
      return { result: { rows: result.rows, labeled: result.labeled }, rows }
    }

    it('merges settled small segments into one with the same rows in the same order', async () => {
      const before = await queried()
      const exportBefore = await exported()
      const old = await listSegments(t.store, 'churn')
      expect(old).toHaveLength(6)
      const oldSchema = await parquetSchema(old[0]?.blobDigest ?? '')
      expect(before.map((r) => r.request_id)).toEqual(
        Array.from({ length: 18 }, (_, n) => `r-${String(n).padStart(2, '0')}`),
      )

      const result = await compactSegments({
        store: t.store,
        artifacts,
        engine,
        now: AN_HOUR_LATER,
      })

      expect(result).toMatchObject({ replaced: 6, written: 1, rows: 18, skipped: 0, failed: 0 })
      const segments = await listSegments(t.store, 'churn')
      expect(segments).toHaveLength(1)
      expect(segments[0]).toMatchObject({
        deployment: 'churn',
        minTime: T0,
        maxTime: T0 + 5001,
        rows: 18,
        createdAt: AN_HOUR_LATER(),
      })
      expect(await queried()).toEqual(before)
      // Same Parquet columns and types as a segment the log wrote.
      expect(await parquetSchema(segments[0]?.blobDigest ?? '')).toEqual(oldSchema)
      expect(oldSchema.find((c) => c.name === 'time')).toMatchObject({
        logical_type: expect.stringContaining('MILLIS=MilliSeconds()'),
      })
      expect(await exported()).toEqual(exportBefore)
      expect(exportBefore.result).toEqual({ rows: 17, labeled: 0 })
      // The replaced blobs are gone; the other deployment's single segment is left as it was.
      expect(result.staleBlobs.sort()).toEqual(old.map((s) => s.blobDigest).sort())
      for (const s of old) expect(await artifacts.stat(s.blobDigest)).toBeUndefined()
      expect((await listSegments(t.store, 'fraud')).map((s) => s.rows)).toEqual([1])
    })

    it('reads blobs that are not local files through temporary copies', async () => {
      const before = await queried()
      const result = await compactSegments({
        store: t.store,
        artifacts: remoteView(artifacts, 's3://test/predictions'),
        engine,
        deployment: 'churn',
        now: AN_HOUR_LATER,
      })
      expect(result.written).toBe(1)
      expect(await queried()).toEqual(before)
    })

    it('leaves segments younger than olderThanMs, and big ones, alone', async () => {
      // At T0 + 5 s + 10 min, the last segment (max T0 + 5001) is not yet settled.
      const now = () => T0 + 5000 + 600_000
      const result = await compactSegments({ store: t.store, artifacts, engine, now })
      expect(result).toMatchObject({ replaced: 5, written: 1, rows: 15 })
      expect((await listSegments(t.store, 'churn')).map((s) => s.rows)).toEqual([15, 3])
      // With a 20-row target, 15 rows are compact already: nothing is rewritten.
      const again = await compactSegments({
        store: t.store,
        artifacts,
        engine,
        targetRows: 20,
        now: AN_HOUR_LATER,
      })
      expect(again).toMatchObject({ replaced: 0, written: 0 })
    })

    it('makes merged segments of at most targetRows rows', async () => {
      const before = await queried()
      const result = await compactSegments({
        store: t.store,
        artifacts,
        engine,
        targetRows: 8,
        now: AN_HOUR_LATER,
      })
      expect(result).toMatchObject({ replaced: 6, written: 3, rows: 18 })
      expect((await listSegments(t.store, 'churn')).map((s) => s.rows)).toEqual([6, 6, 6])
      expect(await queried()).toEqual(before)
    })

    it('lets one of two concurrent compactions win, without duplicating rows', async () => {
      const before = await queried()
      // Both merges hold their blob until both have one, so both try to switch the same rows.
      let release: () => void = () => {}
      const bothWritten = new Promise<void>((resolve) => (release = resolve))
      let written = 0
      const onBlobWritten = async () => {
        written += 1
        if (written === 2) release()
        await bothWritten
      }
      const run = () =>
        compactSegments({
          store: t.store,
          artifacts,
          engine,
          deployment: 'churn',
          now: AN_HOUR_LATER,
          onBlobWritten,
        })
      const results = await Promise.all([run(), run()])
      expect(results.map((r) => r.written).sort()).toEqual([0, 1])
      expect(results.map((r) => r.skipped).sort()).toEqual([0, 1])
      expect(results.map((r) => r.failed)).toEqual([0, 0])
      expect((await listSegments(t.store, 'churn')).map((s) => s.rows)).toEqual([18])
      expect(await queried()).toEqual(before)
    })

    it('changes nothing when the process dies between storing the blob and the switch', async () => {
      const before = await queried()
      const old = await listSegments(t.store, 'churn')
      let orphan = ''
      const result = await compactSegments({
        store: t.store,
        artifacts,
        engine,
        now: AN_HOUR_LATER,
        onBlobWritten: (blob) => {
          orphan = blob.digest
          throw new Error('killed')
        },
      })
      expect(result).toMatchObject({ replaced: 0, written: 0, failed: 1, staleBlobs: [] })
      expect(await listSegments(t.store, 'churn')).toEqual(old)
      expect(await queried()).toEqual(before)
      // The merged blob is stored but unreferenced: garbage, not a second copy of the rows.
      expect(await artifacts.stat(orphan)).toBeDefined()
      // A later run completes the job.
      const retry = await compactSegments({ store: t.store, artifacts, engine, now: AN_HOUR_LATER })
      expect(retry).toMatchObject({ replaced: 6, written: 1 })
      expect(await queried()).toEqual(before)
    })
  })
}

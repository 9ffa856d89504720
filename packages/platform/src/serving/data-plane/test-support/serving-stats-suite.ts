import { AppError, InvalidParameterError } from '@ballast/contracts'
import type { Kysely } from 'kysely'
import { Registry } from 'prom-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseSchema, MetadataStore } from '../../../storage/index.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import type { LoadedModel } from '../../serving-types.js'
import { readServingStats } from '../read-serving-stats.js'
import { ServingMetrics } from '../serving-metrics.js'
import { ServingStats } from '../serving-stats.js'
import { ServingStatsWriter } from '../serving-stats-writer.js'

const MINUTE = 60_000
const T0 = 1_800_000_000_000 // a minute boundary

const model = (version: number) =>
  ({ name: 'loans', version, classes: null }) as unknown as LoadedModel

/** A database whose next `failures` transactions fail, as an unreachable server's would. */
function flaky(db: Kysely<DatabaseSchema>, state: { failures: number }): Kysely<DatabaseSchema> {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction' && state.failures > 0) {
        state.failures -= 1
        return () => ({
          execute: () => Promise.reject(new Error('connection refused')),
        })
      }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
}

/** Serving stats over a store: counters, the minute rows they add to, and reading them back. */
export function runServingStatsSuite(open: () => Promise<TestStore>): void {
  describe('serving stats in the store', () => {
    let t: TestStore
    let store: MetadataStore
    let now: number
    let cpu: number
    beforeEach(async () => {
      t = await open()
      store = t.store
      now = T0 + 5_000
      cpu = 1_000_000
    }, 30_000)
    afterEach(async () => t.dispose(), 30_000)

    function writer(stats: ServingStats, db: Kysely<DatabaseSchema> = store.db) {
      return new ServingStatsWriter({
        db,
        stats,
        intervalMs: 0,
        now: () => now,
        cpuMicros: () => cpu,
      })
    }

    it('counts requests, server errors, predictions and latency per version', async () => {
      const stats = new ServingStats()
      const metrics = new ServingMetrics(new Registry(), stats)
      const v1 = metrics.forModel('loans', model(1))
      const v2 = metrics.forModel('loans', model(2))
      v1.answered(0.0008, model(1), [{ prediction: 1 }, { prediction: 0 }] as never)
      v1.answered(0.003, model(1), [{ prediction: 1 }] as never)
      v1.failed(0.0004, new InvalidParameterError('records[0].income: expected a number'))
      v2.answered(0.02, model(2), [{ prediction: 1 }] as never)
      v2.failed(5, new AppError('TEMPORARILY_UNAVAILABLE', 'the prediction did not finish'))
      v2.failed(0.001, new Error('onnxruntime: invalid input'))
      const w = writer(stats)
      cpu += 6_000 // 6 ms of CPU since the writer started, shared 3 : 3 by requests
      await w.flush()

      const range = { deployment: 'loans', from: T0, to: T0 + MINUTE }
      const one = await readServingStats(store.db, { ...range, version: 1 })
      expect(one).toMatchObject({ requests: 3, errors: 0, predictions: 3, errorRate: 0 })
      expect(one.cpuMs).toBeCloseTo(3, 9)
      expect(one.latency.slice(0, 3)).toEqual([2, 0, 1])
      const two = await readServingStats(store.db, { ...range, version: 2 })
      expect(two).toMatchObject({ requests: 3, errors: 2, predictions: 1 })
      expect(two.errorRate).toBeCloseTo(2 / 3, 12)
      expect(two.latency).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0])
      const all = await readServingStats(store.db, range)
      expect([all.requests, all.errors, all.predictions]).toEqual([6, 2, 4])
      expect(all.cpuMs).toBeCloseTo(6, 9)
    })

    it('adds to the row of the minute, and starts a new row each minute', async () => {
      const stats = new ServingStats()
      const slot = stats.slot('loans', 'loans', 1)
      const w = writer(stats)
      stats.answered(slot, 0.5, 10)
      await w.flush()
      now += 20_000
      stats.answered(slot, 0.5, 5)
      await w.flush()
      now += MINUTE
      stats.answered(slot, 0.5, 7)
      await w.flush()
      const rows = await store.db
        .selectFrom('serving_stats')
        .select(['minute', 'requests', 'predictions', 'latency_0'])
        .orderBy('minute')
        .execute()
      expect(
        rows.map((r) => [Number(r.minute), Number(r.requests), Number(r.predictions)]),
      ).toEqual([
        [T0, 2, 15],
        [T0 + MINUTE, 1, 7],
      ])
      const first = await readServingStats(store.db, { deployment: 'loans', from: T0, to: T0 + 1 })
      expect(first.predictions).toBe(15)
      // `from` inside a minute takes the whole minute: rows are per minute.
      const second = await readServingStats(store.db, {
        deployment: 'loans',
        from: T0 + MINUTE + 30_000,
        to: T0 + 2 * MINUTE,
      })
      expect(second.predictions).toBe(7)
    })

    it('keeps the counters of a failed write and adds them next time', async () => {
      const stats = new ServingStats()
      const slot = stats.slot('loans', 'loans', 1)
      const state = { failures: 1 }
      const w = writer(stats, flaky(store.db, state))
      stats.answered(slot, 0.5, 4)
      await w.flush()
      expect(w.pendingRows).toBe(1)
      stats.answered(slot, 0.5, 6)
      stats.failed(slot, 0.5, true)
      await w.close()
      expect(w.pendingRows).toBe(0)
      const got = await readServingStats(store.db, {
        deployment: 'loans',
        from: T0,
        to: T0 + MINUTE,
      })
      expect([got.requests, got.errors, got.predictions]).toEqual([3, 1, 10])
    })

    it('reads nothing as zeroes, and names a bad time', async () => {
      const got = await readServingStats(store.db, {
        deployment: 'none',
        from: T0,
        to: T0 + MINUTE,
      })
      expect(got).toMatchObject({ requests: 0, errorRate: null, p99Ms: null, cpuMs: 0 })
      await expect(
        readServingStats(store.db, { deployment: 'none', from: 1.5, to: T0 }),
      ).rejects.toThrow("Invalid value for parameter 'from': expected epoch milliseconds, got 1.5")
    })
  })
}

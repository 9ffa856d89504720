import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { type NewRollout, type RolloutStore, createRolloutStore } from '../rollout-store.js'

const T0 = 1_800_000_000_000

const base: NewRollout = {
  deployment: 'loans',
  model: 'loans',
  version: 2,
  fromVersion: 1,
  percent: 12.5,
  alias: 'champion',
  aliasVersion: 1,
  startedAt: T0,
  pipelineRun: 'run-1',
  step: 'ship',
  createdBy: 'system:pipeline:retrain',
}

/** The rollouts table: a watch recorded, finished, listed, and found again by its step. */
export function runRolloutStoreSuite(open: () => Promise<TestStore>): void {
  describe('rollout store', () => {
    let t: TestStore
    let store: RolloutStore
    beforeEach(async () => {
      t = await open()
      store = createRolloutStore(t.store)
    }, 30_000)
    afterEach(async () => t.dispose(), 30_000)

    it('records a watch and its outcome, and finds it by pipeline run and step', async () => {
      const started = await store.start(base)
      expect(started).toEqual({
        ...base,
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        status: 'watching',
        finishedAt: null,
        figures: {},
        reasons: [],
      })
      expect(await store.latestFor('run-1', 'ship')).toEqual(started)
      const done = await store.finish(started.id, {
        status: 'rolled_back',
        figures: { canary_error_rate: 0.25, canary_p99_ms: null },
        reasons: ['error rate 0.25 (1 of 4 requests) is above max_error_rate 0.01'],
        time: T0 + 90_000,
      })
      expect(done).toMatchObject({
        status: 'rolled_back',
        finishedAt: T0 + 90_000,
        figures: { canary_error_rate: 0.25, canary_p99_ms: null },
      })
      expect((await store.latestFor('run-1', 'ship'))?.status).toBe('rolled_back')
      expect(await store.latestFor('run-1', 'other')).toBeNull()
    })

    it('lists newest first, by deployment, status and pipeline run', async () => {
      const a = await store.start(base)
      const b = await store.start({
        ...base,
        deployment: 'fraud',
        startedAt: T0 + 1,
        pipelineRun: 'run-2',
      })
      const c = await store.start({ ...base, version: 3, startedAt: T0 + 2 })
      await store.finish(c.id, { status: 'promoted', figures: {}, reasons: [], time: T0 + 3 })
      expect((await store.list()).map((r) => r.id)).toEqual([c.id, b.id, a.id])
      expect((await store.list({ deployment: 'loans' })).map((r) => r.id)).toEqual([c.id, a.id])
      expect((await store.list({ status: 'watching', limit: 1 })).map((r) => r.id)).toEqual([b.id])
      expect((await store.list({ pipelineRun: 'run-2' })).map((r) => r.id)).toEqual([b.id])
      await expect(store.get('nope')).rejects.toThrow("Rollout 'nope' not found")
    })
  })
}

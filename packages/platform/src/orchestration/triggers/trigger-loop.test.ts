import type { Logger } from 'pino'
import { describe, expect, it, vi } from 'vitest'
import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { fakePipelines, triggeredSpec } from './test-support/fake-pipelines.js'
import { TriggerLoop } from './trigger-loop.js'
import type { TriggerDependencies } from './trigger-types.js'

const logger = () => ({ warn: vi.fn(), info: vi.fn() })
const unused = () => Promise.reject(new Error('not used'))

describe('TriggerLoop', () => {
  it('logs a failed check and keeps checking', async () => {
    const log = logger()
    let calls = 0
    const deps = {
      store: undefined,
      pipelines: {
        list: () => {
          calls++
          return Promise.reject(new Error('database is locked'))
        },
      },
    } as unknown as TriggerDependencies
    const loop = new TriggerLoop({ deps, logger: log as unknown as Logger, intervalMs: 5 })
    loop.start()
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2))
    await loop.stop()
    expect(log.warn.mock.calls[0]).toEqual([
      { err: new Error('database is locked') },
      'pipeline trigger check failed',
    ])
  })

  it('logs each firing, and each trigger that could not be checked with its pipeline', async () => {
    const testStore = await openTestSqliteStore()
    try {
      let now = Date.UTC(2026, 10, 26, 6, 59)
      const fake = fakePipelines(() => now)
      await fake.service.apply(
        triggeredSpec('retrain', [
          { kind: 'schedule', cron: '0 * * * *' },
          { kind: 'schedule', cron: '61 * * * *' },
        ]),
        'alice',
      )
      const log = logger()
      const loop = new TriggerLoop({
        deps: {
          store: testStore.store,
          pipelines: fake.service,
          data: { getVersion: unused },
          monitors: { events: unused },
        },
        logger: log as unknown as Logger,
        intervalMs: 60_000,
        clock: () => now,
      })
      await loop.runOnce()
      now += 60_000
      await loop.runOnce()
      expect(log.info.mock.calls).toEqual([
        [
          { pipeline: 'retrain', trigger: 0, outcome: 'started', runId: 'run-1' },
          'pipeline trigger fired: 0 * * * *',
        ],
      ])
      expect(log.warn.mock.calls.map(([fields]) => [fields.pipeline, fields.trigger])).toEqual([
        ['retrain', 1],
        ['retrain', 1],
      ])
    } finally {
      await testStore.dispose()
    }
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import {
  type TestStore,
  openTestPostgresStore,
  openTestSqliteStore,
} from '../../storage/test-support/test-stores.js'
import { fakePipelines, triggeredSpec } from './test-support/fake-pipelines.js'
import { checkTriggers } from './trigger-engine.js'

const BACKENDS: Array<[string, () => Promise<TestStore>]> = [
  ['SQLite', openTestSqliteStore],
  ['PostgreSQL', openTestPostgresStore],
]
const unused = () => Promise.reject(new Error('not used'))

describe.each(BACKENDS)('trigger firings claimed on %s', (_backend, open) => {
  let testStore: TestStore | undefined
  afterEach(async () => {
    await testStore?.dispose()
    testStore = undefined
  })

  it('start one run per firing and respect the cap when four servers check at once', async () => {
    testStore = await open()
    let now = Date.UTC(2026, 10, 26, 6, 0, 30)
    const fake = fakePipelines(() => now, { startDelayMs: 10 })
    await fake.service.apply(
      triggeredSpec(
        'retrain',
        [
          { kind: 'schedule', cron: '* * * * *' },
          { kind: 'schedule', cron: '*/2 * * * *' },
        ],
        { debounceMs: 0, maxRunsPerDay: 3 },
      ),
      'alice',
    )
    const deps = {
      store: testStore.store,
      pipelines: fake.service,
      data: { getVersion: unused },
      monitors: { events: unused },
    }
    await checkTriggers(deps, now)
    const outcomes: string[] = []
    for (let minute = 1; minute <= 4; minute++) {
      now += 60_000
      const checks = await Promise.all([1, 2, 3, 4].map(() => checkTriggers(deps, now)))
      expect(checks.flatMap((c) => c.failures)).toEqual([])
      outcomes.push(...checks.flatMap((c) => c.firings.map((f) => `${minute}:${f.trigger}`)))
    }
    // Each firing decided once, by one of the servers: minute 1 and 3 fire trigger 0 only.
    expect(outcomes.sort()).toEqual(['1:0', '2:0', '2:1', '3:0', '4:0', '4:1'])
    // Three runs at most this day; each started run is started once.
    expect(fake.runs.length).toBe(3)
    const started = await testStore.store.db
      .selectFrom('trigger_firings')
      .select(['outcome'])
      .where('outcome', '=', 'started')
      .execute()
    expect(started.length).toBe(3)
  })
})

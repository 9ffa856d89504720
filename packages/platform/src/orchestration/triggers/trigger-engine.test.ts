import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { ANONYMOUS_ADMIN } from '../../governance/actor.js'
import type { TriggerSpec } from '../pipelines/pipeline-types.js'
import { listFirings } from './firings-log.js'
import { fakePipelines, triggeredSpec } from './test-support/fake-pipelines.js'
import { checkTriggers } from './trigger-engine.js'
import type { TriggerDependencies } from './trigger-types.js'

const MINUTE = 60_000
const T0 = Date.UTC(2026, 10, 26, 6, 25, 30)
const at = (h: number, m: number, s = 0) => Date.UTC(2026, 10, 26, h, m, s)

let t: TestData
let now: number
let fake: ReturnType<typeof fakePipelines>
let deps: TriggerDependencies

beforeEach(async () => {
  t = await openTestData()
  now = T0
  fake = fakePipelines(() => now)
  deps = {
    store: t.store,
    pipelines: fake.service,
    data: t.services.data,
    monitors: t.services.monitoring.monitors,
  }
})
afterEach(async () => {
  await t.dispose()
})

/** Runs one pass at `time`; returns [outcome, run id, reason] per firing. */
async function checkAt(time: number) {
  now = time
  const check = await checkTriggers(deps, time)
  expect(check.failures).toEqual([])
  return check.firings.map((f) => [f.outcome, f.runId, f.reason])
}

async function apply(triggers: TriggerSpec[], limits = {}, name = 'retrain') {
  await fake.service.apply(triggeredSpec(name, triggers, limits), 'alice')
}

async function ingest(name: string, content: string) {
  await t.services.data.ingest({
    name,
    input: t.file(`${name}.csv`, content),
    actor: ANONYMOUS_ADMIN,
  })
}

describe('schedule triggers', () => {
  it('fire once per due time, and once for all the times missed while no check ran', async () => {
    await apply([{ kind: 'schedule', cron: '0 * * * *' }], { maxRunsPerDay: 24 })
    // Registering records the time; 06:00 passed before the trigger existed.
    expect(await checkAt(T0)).toEqual([])
    expect(await checkAt(at(6, 59, 59))).toEqual([])
    expect(await checkAt(at(7, 0, 5))).toEqual([['started', 'run-1', '0 * * * *']])
    expect(await checkAt(at(7, 30))).toEqual([])
    // Down from 07:30 to 11:10: 08:00 … 11:00 were missed; one run, for 11:00.
    expect(await checkAt(at(11, 10))).toEqual([['started', 'run-2', '0 * * * *']])
    expect(await checkAt(at(11, 20))).toEqual([])
    expect(fake.runs.map((r) => [r.trigger, r.createdBy])).toEqual([
      [
        {
          kind: 'schedule',
          detail: '0 * * * *',
          values: { cron: '0 * * * *', scheduled_at: '2026-11-26T07:00:00.000Z' },
        },
        'system:trigger',
      ],
      [
        {
          kind: 'schedule',
          detail: '0 * * * *',
          values: { cron: '0 * * * *', scheduled_at: '2026-11-26T11:00:00.000Z' },
        },
        'system:trigger',
      ],
    ])
  })

  it('start over when the trigger at an index changes', async () => {
    await apply([{ kind: 'schedule', cron: '0 * * * *' }], { maxRunsPerDay: 24 })
    await checkAt(T0)
    await apply([{ kind: 'schedule', cron: '30 * * * *' }], { maxRunsPerDay: 24 })
    // 06:30 is due for the new expression, but it was registered only now: nothing fires.
    expect(await checkAt(at(6, 40))).toEqual([])
    expect(await checkAt(at(7, 31))).toEqual([['started', 'run-1', '30 * * * *']])
  })

  it('records a check whose pipeline failed to start, without counting it', async () => {
    await apply([{ kind: 'schedule', cron: '*/5 * * * *' }], { debounceMs: 0, maxRunsPerDay: 1 })
    await checkAt(T0)
    const { service } = fake
    const start = service.start.bind(service)
    service.start = () => Promise.reject(new Error('no worker for step kind command'))
    now = at(6, 30)
    const { firings } = await checkTriggers(deps, now)
    expect(firings.map((f) => [f.outcome, f.runId, f.error])).toEqual([
      ['failed', null, 'no worker for step kind command'],
    ])
    service.start = start
    expect(await checkAt(at(6, 35))).toEqual([['started', 'run-1', '*/5 * * * *']])
  })

  it('report a bad cron expression as a failure of that trigger only', async () => {
    await apply([{ kind: 'schedule', cron: '0 25 * * *' }], {}, 'broken')
    await apply([{ kind: 'schedule', cron: '0 * * * *' }], {}, 'fine')
    const check = await checkTriggers(deps, T0)
    expect(check.failures.map((f) => [f.pipeline, f.trigger, (f.error as Error).message])).toEqual([
      ['broken', 0, "Invalid cron expression '0 25 * * *': hour '25' is out of range 0-23"],
    ])
    now = at(7, 0)
    expect((await checkTriggers(deps, now)).firings.map((f) => f.pipeline)).toEqual(['fine'])
  })
})

describe('dataset triggers', () => {
  it('fire on a version ingested after the trigger was registered, not on older ones', async () => {
    await ingest('loans', 'income,default\n50,0\n')
    await apply([
      { kind: 'dataset', dataset: 'loans' },
      { kind: 'dataset', dataset: 'applications' },
    ])
    expect(await checkAt(T0)).toEqual([])
    expect(await checkAt(T0 + MINUTE)).toEqual([])
    await ingest('loans', 'income,default\n50,0\n60,1\n')
    expect(await checkAt(T0 + 2 * MINUTE)).toEqual([['started', 'run-1', 'loans@2']])
    expect(fake.runs[0]!.trigger).toEqual({
      kind: 'dataset',
      detail: 'loans@2',
      values: { dataset: 'loans', version: 2 },
    })
    expect(await checkAt(T0 + 3 * MINUTE)).toEqual([])
    // A dataset that did not exist when the trigger was registered: its first version is new.
    await ingest('applications', 'income\n50\n')
    expect(await checkAt(T0 + 20 * MINUTE)).toEqual([['started', 'run-2', 'applications@1']])
  })
})

describe('debounce and cap', () => {
  it('merges a firing into a run started less than debounceMs before, manual runs too', async () => {
    await apply([{ kind: 'schedule', cron: '* * * * *' }], {
      debounceMs: 10 * MINUTE,
      maxRunsPerDay: 100,
    })
    await checkAt(at(7, 0))
    expect(await checkAt(at(7, 1))).toEqual([['started', 'run-1', '* * * * *']])
    expect(await checkAt(at(7, 2))).toEqual([['merged', 'run-1', '* * * * *']])
    expect(await checkAt(at(7, 10, 59))).toEqual([['merged', 'run-1', '* * * * *']])
    expect(await checkAt(at(7, 11))).toEqual([['started', 'run-2', '* * * * *']])
    now = at(7, 30)
    await fake.service.start('retrain', {
      trigger: { kind: 'manual', detail: 'alice', values: {} },
      actor: 'alice',
    })
    expect(await checkAt(at(7, 35))).toEqual([['merged', 'run-3', '* * * * *']])
    expect(fake.runs.map((r) => r.trigger.kind)).toEqual(['schedule', 'schedule', 'manual'])
    expect(
      (await listFirings(t.store, 'retrain')).map((f) => [f.time, f.outcome, f.runId]),
    ).toEqual([
      [at(7, 35), 'merged', 'run-3'],
      [at(7, 11), 'started', 'run-2'],
      [at(7, 10, 59), 'merged', 'run-1'],
      [at(7, 2), 'merged', 'run-1'],
      [at(7, 1), 'started', 'run-1'],
    ])
  })

  it('caps triggered runs per UTC day, not counting manual runs', async () => {
    await apply([{ kind: 'schedule', cron: '0 * * * *' }], { debounceMs: 0, maxRunsPerDay: 2 })
    await checkAt(at(20, 30))
    now = at(20, 45)
    await fake.service.start('retrain', {
      trigger: { kind: 'manual', detail: 'alice', values: {} },
      actor: 'alice',
    })
    expect(await checkAt(at(21, 0))).toEqual([['started', 'run-2', '0 * * * *']])
    expect(await checkAt(at(22, 0))).toEqual([['started', 'run-3', '0 * * * *']])
    expect(await checkAt(at(23, 0))).toEqual([['capped', null, '0 * * * *']])
    // Midnight UTC: a new day.
    expect(await checkAt(at(24, 0))).toEqual([['started', 'run-4', '0 * * * *']])
    const firings = await listFirings(t.store, 'retrain', { limit: 2 })
    expect(firings.map((f) => [f.outcome, f.values.scheduled_at])).toEqual([
      ['started', '2026-11-27T00:00:00.000Z'],
      ['capped', '2026-11-26T23:00:00.000Z'],
    ])
  })
})

describe('several servers', () => {
  it('start one run for one firing when two checks run at once', async () => {
    const slow = fakePipelines(() => now, { startDelayMs: 20 })
    await slow.service.apply(
      triggeredSpec('retrain', [
        { kind: 'schedule', cron: '0 * * * *' },
        { kind: 'schedule', cron: '*/30 * * * *' },
      ]),
      'alice',
    )
    const server = { ...deps, pipelines: slow.service }
    await checkTriggers(server, T0)
    now = at(7, 0, 1)
    const checks = await Promise.all([checkTriggers(server, now), checkTriggers(server, now)])
    const firings = checks.flatMap((c) => c.firings)
    // Each trigger fired once over both servers; one run started, the other firing merged.
    expect(firings.map((f) => f.trigger).sort()).toEqual([0, 1])
    expect(firings.map((f) => f.outcome).sort()).toEqual(['merged', 'started'])
    expect(slow.runs.length).toBe(1)
    expect(firings.find((f) => f.outcome === 'started')!.runId).toBe('run-1')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from '../../monitoring/monitors/test-support/monitored-deployment.js'
import { triggeredSpec } from './test-support/fake-pipelines.js'
import { checkTriggers } from './trigger-engine.js'
import type { TriggerDependencies } from './trigger-types.js'

const HOUR = 3_600_000
// Traffic logged hours ago, so every window is settled.
const base = Date.now() - 10 * HOUR

let d: MonitoredDeployment
beforeAll(async () => {
  d = await openMonitoredDeployment()
}, 60_000)
afterAll(async () => {
  await d?.dispose()
})

describe('event triggers', () => {
  it('fire on drift_detected from the monitor they name, once per event, and not on other types', async () => {
    const monitors = d.t.services.monitoring.monitors
    const pipelines = d.t.services.orchestration.pipelines
    let now = Date.now()
    const deps: TriggerDependencies = {
      store: d.t.store,
      pipelines,
      data: d.t.services.data,
      monitors,
    }
    await monitors.create(
      { name: 'loans-drift', deployment: 'loans', every: '2000 predictions', since: base },
      'alice',
    )
    const random = seeded(11)
    // An event raised before the triggers exist: registering skips it.
    await d.serve(applicants(2000, random, { incomeMean: 75, regions: ['east'] }).rows, base + 1)
    expect((await monitors.evaluate('loans-drift')).map((r) => r.events.sort())).toEqual([
      ['data_quality_failed', 'drift_detected', 'performance_degraded'],
    ])
    await pipelines.apply(
      triggeredSpec('retrain-loans', [
        { kind: 'event', events: ['drift_detected'], monitor: 'loans-drift' },
        { kind: 'event', events: ['performance_degraded'], deployment: 'loans' },
      ]),
      'alice',
    )
    await pipelines.apply(
      triggeredSpec('other', [{ kind: 'event', events: ['drift_detected'], monitor: 'flights' }]),
      'alice',
    )
    expect((await checkTriggers(deps, now)).firings).toEqual([])

    // Traffic like the training data, then shifted traffic: window 3 drifts.
    await d.serve(applicants(2000, random).rows, base + 2_000)
    await d.serve(
      applicants(2000, random, { incomeMean: 75, regions: ['east'] }).rows,
      base + 3_000,
    )
    const windows = await monitors.evaluate('loans-drift')
    expect(windows.map((w) => [w.window, w.events.sort()])).toEqual([
      [2, []],
      [3, ['data_quality_failed', 'drift_detected', 'performance_degraded']],
    ])
    const [drift] = await monitors.events({ monitor: 'loans-drift', type: 'drift_detected' })

    now += 60_000
    const check = await checkTriggers(deps, now)
    expect(check.failures).toEqual([])
    // data_quality_failed fires nothing; performance_degraded (the second trigger) came within
    // the debounce of the drift's run and merged into it; the other pipeline's monitor is silent.
    expect(check.firings.map((f) => [f.pipeline, f.trigger, f.outcome, f.runId])).toEqual([
      ['retrain-loans', 0, 'started', check.firings[0]!.runId],
      ['retrain-loans', 1, 'merged', check.firings[0]!.runId],
    ])
    const runs = await pipelines.runs('retrain-loans')
    expect(runs.map((r) => [r.id, r.trigger, r.createdBy])).toEqual([
      [
        check.firings[0]!.runId,
        {
          kind: 'event',
          detail: `drift_detected #${drift!.id} (monitor loans-drift)`,
          values: {
            event_id: drift!.id,
            monitor: 'loans-drift',
            deployment: 'loans',
            type: 'drift_detected',
            window: 3,
          },
        },
        'system:trigger',
      ],
    ])
    expect(await pipelines.runs('other')).toEqual([])
    // Seen events do not fire again.
    now += 60_000
    expect((await checkTriggers(deps, now)).firings).toEqual([])
  }, 60_000)

  it('read on oldest first: a drift followed by more events than one check reads still fires', async () => {
    const { monitors, pipelines } = { ...d.t.services.monitoring, ...d.t.services.orchestration }
    const deps: TriggerDependencies = {
      store: d.t.store,
      pipelines,
      data: d.t.services.data,
      monitors,
    }
    let now = Date.now() + 10 * 60_000
    await pipelines.apply(
      triggeredSpec('burst', [
        { kind: 'event', events: ['drift_detected'], monitor: 'loans-drift' },
      ]),
      'alice',
    )
    expect((await checkTriggers(deps, now)).firings).toEqual([])
    const row = (type: string, i: number) => ({
      monitor: 'loans-drift',
      deployment: 'loans',
      type,
      window: 100 + i,
      time: base + 10_000 + i,
      payload: '{"reasons":[]}',
    })
    await d.t.store.db
      .insertInto('monitor_events')
      .values([
        row('drift_detected', 0),
        ...Array.from({ length: 1000 }, (_, i) => row('data_quality_failed', i + 1)),
      ])
      .execute()
    const [drift] = await monitors.events({ monitor: 'loans-drift', type: 'drift_detected' })
    now += 60_000
    const fired = (await checkTriggers(deps, now)).firings.filter((f) => f.pipeline === 'burst')
    expect(fired.map((f) => f.outcome)).toEqual(['started'])
    const [run] = await pipelines.runs('burst')
    expect(run!.trigger.values.event_id).toBe(drift!.id)
    // The last of the burst is read by the next check, and fires nothing.
    now += 60_000
    expect((await checkTriggers(deps, now)).firings.filter((f) => f.pipeline === 'burst')).toEqual(
      [],
    )
  }, 60_000)
})

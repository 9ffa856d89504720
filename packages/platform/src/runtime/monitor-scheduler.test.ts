import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerMonitorGauges } from '../monitoring/index.js'
import {
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from '../monitoring/monitors/test-support/monitored-deployment.js'
import { createLogger } from '../observability/logger.js'
import { MONITOR_JOB, runMonitorJob } from './monitor-job.js'
import { MonitorScheduler } from './monitor-scheduler.js'
import { Worker } from './worker.js'

let d: MonitoredDeployment
const base = Date.now() - 3_600_000
const silent = createLogger({ level: 'silent' })

beforeAll(async () => {
  d = await openMonitoredDeployment()
  await d.t.services.monitoring.monitors.create(
    { name: 'loans', deployment: 'loans', every: '1000 predictions', since: base },
    'alice',
  )
}, 60_000)
afterAll(async () => {
  await d?.dispose()
})

describe('monitor windows in the background', () => {
  it('enqueues one monitor job when a window is due, none while it is pending, and the job records the windows', async () => {
    const { services } = d.t
    const scheduler = new MonitorScheduler({ services, logger: silent, intervalMs: 60_000 })
    expect(await scheduler.runOnce()).toEqual([])
    const { rows } = applicants(2500, seeded(5))
    await d.serve(rows, base + 1_000)
    expect(await scheduler.runOnce()).toEqual(['loans'])
    expect(await scheduler.runOnce()).toEqual([])
    const queued = await services.jobs.list({ kind: MONITOR_JOB, limit: 10 })
    expect(queued.map((j) => [j.status, j.createdBy])).toEqual([
      ['queued', 'system:monitor-scheduler'],
    ])

    const worker = new Worker({
      queue: services.jobs,
      services,
      handlers: { [MONITOR_JOB]: runMonitorJob },
      logger: silent,
    })
    await worker.runOnce()
    const [job] = await services.jobs.list({ kind: MONITOR_JOB, limit: 10 })
    expect(job!.status).toBe('succeeded')
    expect(job!.result).toEqual({ monitor: 'loans', windows: [1, 2], events: [] })
    expect(job!.progress).toMatchObject({ done: 2, total: 2 })
    // 500 rows remain: not a whole window, so nothing is due.
    expect(await scheduler.runOnce()).toEqual([])
  }, 60_000)

  it('two evaluations at once record each window once', async () => {
    const { monitors } = d.t.services.monitoring
    await d.serve(applicants(1500, seeded(6)).rows, base + 2_000)
    const [a, b] = await Promise.all([monitors.evaluate('loans'), monitors.evaluate('loans')])
    expect([...a, ...b].map((r) => r.window).sort()).toEqual([3, 4])
    expect((await monitors.results('loans')).map((r) => r.window)).toEqual([1, 2, 3, 4])
  }, 60_000)

  it('exports the latest window as Prometheus gauges', async () => {
    const registry = new Registry()
    registerMonitorGauges(registry, d.t.services.monitoring.monitors)
    registerMonitorGauges(registry, d.t.services.monitoring.monitors)
    const text = await registry.metrics()
    const [latest] = await d.t.services.monitoring.monitors.results('loans', { limit: 1 })
    const share = latest!.drift!.share_of_drifted_columns
    expect(text).toContain(`ballast_monitor_windows{monitor="loans",deployment="loans"} 4`)
    expect(text).toContain(
      `ballast_monitor_drift_share{monitor="loans",deployment="loans"} ${share}`,
    )
    expect(text).toMatch(
      /ballast_monitor_column_drift_score\{monitor="loans",deployment="loans",column="income",stattest="wasserstein"\} [0-9.e-]+/,
    )
    expect(text).toMatch(
      /ballast_monitor_accuracy\{monitor="loans",deployment="loans",kind="estimated"\} 0\.\d+/,
    )
    expect(text).not.toContain('kind="realized"')
  }, 60_000)
})

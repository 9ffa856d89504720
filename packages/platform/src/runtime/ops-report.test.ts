import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type MonitoredDeployment,
  openMonitoredDeployment,
  trainLoans,
} from '../monitoring/monitors/test-support/monitored-deployment.js'
import { DeploymentService } from '../serving/index.js'
import { isoWeek, opsReport } from './ops-report.js'

const HOUR = 3_600_000

describe('opsReport', () => {
  let m: MonitoredDeployment
  let created: number
  let runStarts: number[]
  let clock: number
  beforeAll(async () => {
    m = await openMonitoredDeployment()
    const services = m.t.services
    await trainLoans(services, { numTrees: '20' })
    runStarts = []
    for (const version of [1, 2]) {
      const lineage = await services.registry.details.lineage('loans', String(version))
      runStarts.push(Number((await services.tracking.runs.get(lineage.run_id)).info.start_time))
    }
    created = (await services.serving.deployments.events('loans'))[0]!.time
    // Canary at +1 h, promoted at +2 h, rolled back at +3 h after version 2's run started.
    clock = runStarts[1]! + HOUR
    const deployments = new DeploymentService(m.t.store, services.registry, { now: () => clock })
    await deployments.canary('loans', { version: 2, percent: 10 }, 'alice')
    clock += HOUR
    await deployments.promote('loans', 'system:rollout')
    clock += HOUR
    await deployments.rollback('loans', 'bob')
    // 2,000 predictions of version 1 took 3 CPU seconds; version 2 served none.
    const latency = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`latency_${i}`, 0]))
    await m.t.store.db
      .insertInto('serving_stats')
      .values({
        deployment: 'loans',
        model: 'loans',
        version: 1,
        minute: Math.floor(created / 60_000) * 60_000,
        requests: 20,
        errors: 0,
        predictions: 2000,
        cpu_ms: 3000,
        ...latency,
      } as never)
      .execute()
  }, 180_000)
  afterAll(() => m.dispose())

  it('measures lead time, primary changes, rollbacks and cost', async () => {
    const report = await opsReport(m.t.services, { now: clock })
    const leadV1 = created - runStarts[0]!
    expect(report.lead_time.versions).toEqual([
      {
        deployment: 'loans',
        model: 'loans',
        version: 1,
        run_started_at: runStarts[0],
        promoted_at: created,
        lead_time_ms: leadV1,
      },
      {
        deployment: 'loans',
        model: 'loans',
        version: 2,
        run_started_at: runStarts[1],
        promoted_at: runStarts[1]! + 2 * HOUR,
        lead_time_ms: 2 * HOUR,
      },
    ])
    expect(report.lead_time.median_ms).toBe((leadV1 + 2 * HOUR) / 2)
    // create, promote and rollback changed the primary; the canary did not.
    expect(report.deployments_per_week.reduce((n, w) => n + w.deployments, 0)).toBe(3)
    expect(report.rollbacks).toEqual({
      count: 1,
      list: [
        {
          deployment: 'loans',
          time: runStarts[1]! + 3 * HOUR,
          actor: 'bob',
          from_version: 2,
          to_version: 1,
        },
      ],
    })
    expect(report.drift_to_promotion).toEqual([])
    expect(report.accuracy_over_time).toEqual([])
    expect(report.cost).toEqual([
      {
        deployment: 'loans',
        version: 1,
        predictions: 2000,
        cpu_seconds: 3,
        cpu_seconds_per_1000: 1.5,
      },
      {
        deployment: 'loans',
        version: 2,
        predictions: 0,
        cpu_seconds: 0,
        cpu_seconds_per_1000: null,
      },
    ])
  })

  it('leaves out what happened before `since`', async () => {
    const report = await opsReport(m.t.services, { since: runStarts[1]! + 2 * HOUR, now: clock })
    expect(report.lead_time.versions.map((v) => v.version)).toEqual([2])
    expect(report.rollbacks.count).toBe(1)
  })
})

describe('isoWeek', () => {
  it('agrees with Python’s isocalendar around year ends', () => {
    const days = [
      Date.UTC(2020, 11, 31),
      Date.UTC(2021, 0, 3),
      Date.UTC(2021, 0, 4),
      Date.UTC(2024, 11, 30),
      Date.UTC(2026, 0, 1),
      Date.UTC(2026, 1, 3, 23, 59),
      Date.UTC(2027, 0, 3),
    ]
    const script =
      'import sys, datetime\n' +
      'for ms in sys.argv[1:]:\n' +
      '    y, w, _ = datetime.datetime.fromtimestamp(int(ms) / 1000, datetime.timezone.utc).isocalendar()\n' +
      '    print(f"{y}-W{w:02d}")\n'
    const expected = execFileSync('python3', ['-c', script, ...days.map(String)], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
    expect(days.map(isoWeek)).toEqual(expected)
    expect(isoWeek(Date.UTC(2020, 11, 31))).toBe('2020-W53')
  })
})

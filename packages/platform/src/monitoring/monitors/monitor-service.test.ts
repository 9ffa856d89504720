import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../../governance/index.js'
import {
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from './test-support/monitored-deployment.js'

const HOUR = 3_600_000
let d: MonitoredDeployment
// Traffic logged an hour ago and earlier, so every window is settled.
const base = Date.now() - 10 * HOUR

beforeAll(async () => {
  d = await openMonitoredDeployment()
}, 60_000)
afterAll(async () => {
  await d?.dispose()
})

const monitors = () => d.t.services.monitoring.monitors

describe('MonitorService', () => {
  it('stays quiet while traffic looks like the training data, and raises drift_detected when it shifts', async () => {
    await monitors().create(
      { name: 'loans-drift', deployment: 'loans', every: '2000 predictions', since: base },
      'alice',
    )
    const random = seeded(11)
    const same = applicants(4000, random)
    const ids = await d.serve(same.rows.slice(0, 2000), base + 1_000)
    await d.serve(same.rows.slice(2000), base + 2_000)
    const shifted = applicants(2000, random, { incomeMean: 75, regions: ['east'] })
    await d.serve(shifted.rows, base + 3_000)
    await d.label(ids, same.labels.slice(0, 2000))

    const { webhook, secret } = await monitors().webhooks.add(
      'loans-drift',
      { url: 'https://93.184.216.34/hooks/ballast' },
      'alice',
    )
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    const [added] = await listAudit(d.t.store.db, { target: 'monitor:loans-drift', limit: 1 })
    expect(added).toMatchObject({ actor: 'alice', action: 'monitor.webhook.add' })
    expect(added?.detail).toEqual({ webhook: webhook.id, url: webhook.url })
    expect(JSON.stringify(added)).not.toContain(secret)
    expect(await monitors().dueWindows('loans-drift')).toBe(3)
    const results = await monitors().evaluate('loans-drift')
    // Evidently's default tests (normed Wasserstein over 1,000 reference rows) are sized for
    // windows of thousands: with a few hundred rows, sampling noise alone reaches 0.1.
    expect(results.map((r) => [r.window, r.rows, r.events])).toEqual([
      [1, 2000, []],
      [2, 2000, []],
      [3, 2000, expect.arrayContaining(['drift_detected', 'data_quality_failed'])],
    ])
    const [first, , third] = results
    expect(first!.reference).toEqual({
      model: 'loans',
      version: 1,
      dataset: 'loans',
      datasetVersion: 1,
      rows: 3000,
    })
    expect(first!.drift!.dataset_drift).toBe(false)
    expect(Object.keys(first!.drift!.drift_by_columns).sort()).toEqual(['age', 'income', 'region'])
    expect(third!.drift!.drift_by_columns.income!.drift_detected).toBe(true)
    expect(third!.drift!.drift_by_columns.region!.drift_detected).toBe(true)
    expect(third!.drift!.drift_by_columns.age!.drift_detected).toBe(false)
    expect(third!.predictionDrift!.drift_detected).toBe(true)
    // Labels arrived for the first window only: realized metrics there, estimates everywhere.
    expect(first!.labeled).toBe(2000)
    expect(first!.performance!.realized!.accuracy).toBeGreaterThan(0.6)
    // Calibrated on the training run's held-out rows, the label-free estimate lands near the
    // realized figure (0.764 vs 0.755 here; calibrated on the rows the model was fitted on it
    // read 0.788, too sure of itself).
    const { estimated, realized } = first!.performance!
    expect(Math.abs(estimated!.accuracy! - realized!.accuracy!)).toBeLessThan(0.02)
    expect(third!.performance!.realized).toBeNull()
    expect(third!.performance!.estimated!.accuracy).toBeGreaterThan(0.5)
    // Nothing new is due; the stored series and the event match what evaluate returned.
    expect(await monitors().dueWindows('loans-drift')).toBe(0)
    expect(await monitors().evaluate('loans-drift')).toEqual([])
    expect((await monitors().results('loans-drift')).map((r) => r.window)).toEqual([1, 2, 3])
    const events = await monitors().events({ monitor: 'loans-drift', type: 'drift_detected' })
    expect(events.map((e) => [e.type, e.window])).toEqual([['drift_detected', 3]])
    expect(events[0]!.payload.drifted_columns).toEqual(
      expect.arrayContaining([expect.objectContaining({ column: 'income' })]),
    )
    // Each event of the window is in the outbox for the webhook, recorded with the window.
    const all = await monitors().events({ monitor: 'loans-drift' })
    expect(all.map((e) => e.type).sort()).toEqual(third!.events.slice().sort())
    const deliveries = await monitors().webhooks.deliveries('loans-drift')
    expect(deliveries.map((x) => [x.eventId, x.webhookId, x.status]).sort()).toEqual(
      all.map((e) => [e.id, webhook.id, 'pending']).sort(),
    )
    // Without labels, a degradation can only come from the label-free estimate.
    for (const reason of third!.performance!.reasons) expect(reason).toMatch(/^estimated /)
    const latest = await monitors().window('loans-drift')
    expect(latest.result.window).toBe(3)
    expect(latest.drift!.distributions.income!.kind).toBe('num')
  }, 60_000)

  it('flags new categories and out-of-range values as data quality failures', async () => {
    const start = base + HOUR
    await monitors().create(
      { name: 'loans-quality', deployment: 'loans', every: '10m', since: start },
      'alice',
    )
    const random = seeded(12)
    const { rows } = applicants(300, random)
    const odd = rows.map((r, i) => (i % 10 === 0 ? { ...r, region: 'west', income: 500 } : r))
    await d.serve(odd, start + 60_000)
    const results = await monitors().evaluate('loans-quality', { maxWindows: 2 })
    expect(results).toHaveLength(2)
    const [window, empty] = results
    expect(window!.rows).toBe(300)
    expect(window!.events).toContain('data_quality_failed')
    const failed = window!.quality!.checks.filter((c) => c.failed).map((c) => [c.column, c.check])
    expect(failed).toEqual([
      ['income', 'out_of_range'],
      ['region', 'new_categories'],
    ])
    // A window with no traffic is recorded as empty, without tests or events.
    expect(empty).toMatchObject({ window: 2, rows: 0, drift: null, events: [] })
    expect(empty!.start).toBe(start + 10 * 60_000)
  }, 60_000)

  it('reports performance_degraded when labels show the model getting it wrong', async () => {
    const start = base + 2 * HOUR
    await monitors().create(
      {
        name: 'loans-perf',
        deployment: 'loans',
        every: '400 predictions',
        since: start,
        options: { minLabeled: 100 },
      },
      'alice',
    )
    const random = seeded(13)
    const good = applicants(400, random)
    const bad = applicants(400, random, { flip: true })
    const goodIds = await d.serve(good.rows, start + 1_000)
    const badIds = await d.serve(bad.rows, start + 2_000)
    await d.label(goodIds, good.labels)
    await d.label(badIds, bad.labels)
    const [before, after] = await monitors().evaluate('loans-perf')
    expect(before!.events).not.toContain('performance_degraded')
    expect(before!.performance!.degraded).toBe(false)
    expect(after!.events).toContain('performance_degraded')
    expect(after!.performance!.reasons.join(' ')).toMatch(
      /roc_auc .* is below the model's test roc_auc/,
    )
    expect(after!.performance!.realized!.roc_auc).toBeLessThan(0.5)
    // The inputs did not change: no drift event for a concept change alone.
    expect(after!.drift!.dataset_drift).toBe(false)
  }, 60_000)

  it('refuses bad definitions naming the parameter', async () => {
    await expect(monitors().create({ deployment: 'nope' }, 'alice')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
    })
    await expect(
      monitors().create({ deployment: 'loans', every: 'often' }, 'alice'),
    ).rejects.toThrow(/parameter 'every'/)
    await expect(
      monitors().create({ deployment: 'loans', options: { columns: ['salary'] } }, 'alice'),
    ).rejects.toThrow(/has no numerical or categorical input 'salary'; it has income, age, region/)
    await expect(
      monitors().create({ deployment: 'loans', options: { stattest: 'magic' } }, 'alice'),
    ).rejects.toThrow(/'options.stattest': "magic"; expected one of/)
    await expect(
      monitors().create({ name: 'loans-drift', deployment: 'loans' }, 'alice'),
    ).rejects.toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS' })
    await expect(monitors().get('missing')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
    })
  })

  it('deletes a monitor with its results; its events stay (trigger cursors follow their ids)', async () => {
    await monitors().delete('loans-quality', 'alice')
    expect(
      await listAudit(d.t.store.db, { target: 'monitor:loans-quality', limit: 1 }),
    ).toMatchObject([{ actor: 'alice', action: 'monitor.delete' }])
    await expect(monitors().results('loans-quality')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
    })
    const kept = await monitors().events({ monitor: 'loans-quality' })
    expect(kept.map((e) => e.type)).toContain('data_quality_failed')
    expect((await monitors().list()).map((m) => m.name)).toEqual(['loans-drift', 'loans-perf'])
  })
})

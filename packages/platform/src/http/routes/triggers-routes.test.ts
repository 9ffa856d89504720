import { FiringsResponse } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkTriggers } from '../../orchestration/index.js'
import { triggeredSpec } from '../../orchestration/triggers/test-support/fake-pipelines.js'
import { type TestApp, openTestApp, readJson } from '../test-support/open-test-app.js'

let t: TestApp
const NOW = Date.now()

beforeAll(async () => {
  t = await openTestApp()
  const { services } = t
  await services.orchestration.pipelines.apply(
    triggeredSpec('retrain', [{ kind: 'schedule', cron: '* * * * *' }]),
    'alice',
  )
  const deps = {
    store: t.store,
    pipelines: services.orchestration.pipelines,
    data: services.data,
    monitors: services.monitoring.monitors,
  }
  // Registered two hours ago; checked now: one run for the latest minute, then one merged.
  await checkTriggers(deps, NOW - 7_200_000)
  await checkTriggers(deps, NOW)
  await checkTriggers(deps, NOW + 60_000)
})
afterAll(async () => {
  await t.dispose()
})

describe('GET /api/v1/pipelines/:name/firings', () => {
  it("lists the pipeline's firings newest first, with the run each started or joined", async () => {
    const res = await t.app.request('/api/v1/pipelines/retrain/firings')
    expect(res.status).toBe(200)
    const { firings } = FiringsResponse.parse(await readJson(res))
    const [run] = await t.services.orchestration.pipelines.runs('retrain')
    expect(run!.createdBy).toBe('system:trigger')
    const minute = (time: number) => new Date(Math.floor(time / 60_000) * 60_000).toISOString()
    expect(firings.map((f) => [f.time, f.trigger, f.kind, f.outcome, f.run_id, f.values])).toEqual([
      [
        NOW + 60_000,
        0,
        'schedule',
        'merged',
        run!.id,
        { cron: '* * * * *', scheduled_at: minute(NOW + 60_000) },
      ],
      [NOW, 0, 'schedule', 'started', run!.id, { cron: '* * * * *', scheduled_at: minute(NOW) }],
    ])
    expect(firings[1]).toMatchObject({ pipeline: 'retrain', reason: '* * * * *', error: null })
  })

  it('keeps the newest `limit`, and refuses a bad limit naming it', async () => {
    const res = await t.app.request('/api/v1/pipelines/retrain/firings?limit=1')
    expect((await readJson(res)).firings.map((f: { outcome: string }) => f.outcome)).toEqual([
      'merged',
    ])
    const bad = await t.app.request('/api/v1/pipelines/retrain/firings?limit=0')
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).message).toContain('limit')
  })

  it('answers 404 for a pipeline that does not exist', async () => {
    const res = await t.app.request('/api/v1/pipelines/nope/firings')
    expect(res.status).toBe(404)
    expect(await readJson(res)).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' })
  })
})

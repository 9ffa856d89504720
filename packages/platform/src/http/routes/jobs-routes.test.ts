import { GetJobResponse, JobLogsResponse, ListJobsResponse } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, readJson, type TestApp } from '../test-support/open-test-app.js'

let t: TestApp
let viewer: Record<string, string>
let editor: Record<string, string>
beforeAll(async () => {
  t = await openTestApp({ auth: { enabled: true } })
  viewer = {
    Authorization: `Bearer ${(await t.services.tokens.createToken({ name: 'v', role: 'viewer' })).token}`,
  }
  editor = {
    Authorization: `Bearer ${(await t.services.tokens.createToken({ name: 'e', role: 'editor' })).token}`,
  }
})
afterAll(async () => {
  await t.dispose()
})

const get = (path: string) => t.app.request(path, { headers: viewer })

describe('jobs API', () => {
  it('lists jobs newest first, filtered by status and kind', async () => {
    const jobs = t.services.jobs
    const a = await jobs.enqueue({ kind: 'train', payload: { n: 1 }, createdBy: 'alice' })
    await new Promise((resolve) => setTimeout(resolve, 2))
    const b = await jobs.enqueue({ kind: 'score', payload: {}, createdBy: 'bob' })
    await jobs.claim('w1', ['score'], 60_000)

    const all = await get('/api/v1/jobs')
    expect(all.status).toBe(200)
    const body = ListJobsResponse.parse(await readJson(all))
    expect(body.jobs.map((j) => j.id).slice(0, 2)).toEqual([b.id, a.id])
    expect(Object.keys(body.jobs[1]!).sort()).toEqual(
      [
        'attempts',
        'cancelRequested',
        'createdAt',
        'createdBy',
        'error',
        'finishedAt',
        'id',
        'kind',
        'maxAttempts',
        'progress',
        'result',
        'startedAt',
        'status',
      ].sort(),
    )
    const running = await readJson(await get('/api/v1/jobs?status=running'))
    expect(running.jobs.map((j: { id: string }) => j.id)).toEqual([b.id])
    const trains = await readJson(await get('/api/v1/jobs?kind=train&limit=1'))
    expect(trains.jobs.map((j: { id: string }) => j.id)).toEqual([a.id])

    const bad = await get('/api/v1/jobs?status=sleeping')
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).message).toContain("'status'")
  })

  it('GET /api/v1/jobs/:id answers the job, 404 for an unknown id', async () => {
    const job = await t.services.jobs.enqueue({ kind: 'train', payload: {}, createdBy: 'alice' })
    const res = await get(`/api/v1/jobs/${job.id}`)
    expect(res.status).toBe(200)
    expect(GetJobResponse.parse(await readJson(res))).toEqual({ job })
    const missing = await get('/api/v1/jobs/0123')
    expect(missing.status).toBe(404)
    expect(await readJson(missing)).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: "no job with id '0123'",
    })
  })

  it('GET /api/v1/jobs/:id/logs pages by sequence number', async () => {
    const jobs = t.services.jobs
    const job = await jobs.enqueue({ kind: 'logs', payload: {}, createdBy: 'alice' })
    await jobs.claim('w1', ['logs'], 60_000)
    for (const m of ['one', 'two', 'three']) await jobs.appendLog(job.id, 'info', m, 'w1')
    const page = JobLogsResponse.parse(
      await readJson(await get(`/api/v1/jobs/${job.id}/logs?after=1&limit=1`)),
    )
    expect(page.logs).toEqual([{ seq: 2, time: expect.any(Number), level: 'info', message: 'two' }])
    const all = await readJson(await get(`/api/v1/jobs/${job.id}/logs`))
    expect(all.logs.map((l: { message: string }) => l.message)).toEqual(['one', 'two', 'three'])
    expect((await get('/api/v1/jobs/nope/logs')).status).toBe(404)
  })

  it('POST /api/v1/jobs/:id/cancel answers 202 with the job; viewers may not', async () => {
    const job = await t.services.jobs.enqueue({ kind: 'train', payload: {}, createdBy: 'alice' })
    const cancel = (headers: Record<string, string>, id = job.id) =>
      t.app.request(`/api/v1/jobs/${id}/cancel`, { method: 'POST', headers })
    const denied = await cancel(viewer)
    expect(denied.status).toBe(403)
    expect((await readJson(denied)).error_code).toBe('PERMISSION_DENIED')
    const res = await cancel(editor)
    expect(res.status).toBe(202)
    expect((await readJson(res)).job).toMatchObject({
      id: job.id,
      status: 'cancelled',
      cancelRequested: true,
    })
    expect((await cancel(editor, 'nope')).status).toBe(404)
  })

  it('GET /api/v1/workers lists the live workers', async () => {
    await t.services.jobs.registerWorker({
      id: 'w-1',
      hostname: 'gpu-1',
      pid: 42,
      kinds: ['train'],
    })
    const res = await get('/api/v1/workers')
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({
      workers: [
        {
          id: 'w-1',
          hostname: 'gpu-1',
          pid: 42,
          kinds: ['train'],
          startedAt: expect.any(Number),
          heartbeatAt: expect.any(Number),
        },
      ],
    })
    expect((await t.app.request('/api/v1/workers')).status).toBe(401)
  })
})

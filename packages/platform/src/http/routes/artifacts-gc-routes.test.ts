import { createHash } from 'node:crypto'
import { ArtifactGcResponse } from '@ballast/contracts'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { listAudit } from '../../governance/index.js'
import { runArtifactGcJob } from '../../runtime/artifact-gc-job.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

const ORPHAN = 'stored, never recorded'
const ORPHAN_SHA256 = createHash('sha256').update(ORPHAN).digest('hex')

let t: TestData
let app: Hono<AppEnv>
let admin: Record<string, string>
let editor: Record<string, string>

beforeAll(async () => {
  t = await openTestData()
  app = createApp({ services: t.services, auth: { enabled: true } })
  const a = await t.services.tokens.createToken({ name: 'ops', role: 'admin' }, 'setup')
  const e = await t.services.tokens.createToken({ name: 'trainer', role: 'editor' }, 'setup')
  admin = { Authorization: `Bearer ${a.token}`, 'Content-Type': 'application/json' }
  editor = { Authorization: `Bearer ${e.token}`, 'Content-Type': 'application/json' }
  await t.artifacts.put(new TextEncoder().encode(ORPHAN))
})
afterAll(() => t.dispose())

const gc = (headers: Record<string, string>, body: unknown) =>
  app.request('/api/v1/artifacts/gc', { method: 'POST', headers, body: JSON.stringify(body) })

describe('POST /api/v1/artifacts/gc', () => {
  it('is for admins only', async () => {
    const res = await gc(editor, { dry_run: true })
    expect(res.status).toBe(403)
    expect(await t.artifacts.stat(ORPHAN_SHA256)).toBeDefined()
  })

  it('names the field of a bad request', async () => {
    const res = await gc(admin, { min_age_ms: -5 })
    expect(res.status).toBe(400)
    expect((await readJson(res)).message).toContain('min_age_ms')
    const unknown = await gc(admin, { older_than: '1d' })
    expect(unknown.status).toBe(400)
    expect((await readJson(unknown)).message).toContain("'older_than'")
  })

  /** Queues a sweep through the API and runs its job as a worker would. */
  async function sweep(body: object) {
    const res = await gc(admin, body)
    expect(res.status).toBe(202)
    const { job } = ArtifactGcResponse.parse(await readJson(res))
    expect(job).toMatchObject({ kind: 'artifact-gc', status: 'queued', createdBy: 'ops' })
    const progress: [number, number, string | undefined][] = []
    const result = await runArtifactGcJob({
      job,
      payload: body,
      services: t.services,
      signal: new AbortController().signal,
      progress: (done, total, message) => progress.push([done, total, message]),
      log: () => {},
    })
    return { result, progress }
  }

  it('queues a job that spares young blobs by default, and removes them with min_age_ms 0', async () => {
    const kept = await sweep({})
    expect(kept.result).toEqual({
      dry_run: false,
      listed: 1,
      referenced: 0,
      young: 1,
      deleted: 0,
      bytes: 0,
      blobs: [],
    })
    expect(kept.progress.at(-1)).toEqual([1, 0, 'blobs listed, 0 to remove'])
    const dry = await sweep({ min_age_ms: 0, dry_run: true })
    expect(dry.result).toMatchObject({ dry_run: true, deleted: 1, bytes: ORPHAN.length })
    expect(dry.result.blobs.map((b) => b.digest)).toEqual([ORPHAN_SHA256])
    expect(await t.artifacts.stat(ORPHAN_SHA256)).toBeDefined()
    const removed = await sweep({ min_age_ms: 0 })
    expect(removed.result).toMatchObject({ deleted: 1 })
    expect(await t.artifacts.stat(ORPHAN_SHA256)).toBeUndefined()
    const [entry] = await listAudit(t.store.db, { action: 'artifacts.gc', limit: 5 })
    expect(entry).toMatchObject({ actor: 'ops', detail: { deleted: 1 } })
  })
})

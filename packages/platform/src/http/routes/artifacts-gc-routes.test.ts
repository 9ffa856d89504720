import { createHash } from 'node:crypto'
import { ArtifactGcResponse } from '@ballast/contracts'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
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

  it('spares young blobs by default, and removes them with min_age_ms 0', async () => {
    const kept = ArtifactGcResponse.parse(await readJson(await gc(admin, {})))
    expect(kept).toEqual({
      dry_run: false,
      listed: 1,
      referenced: 0,
      young: 1,
      deleted: 0,
      bytes: 0,
      blobs: [],
    })
    const dry = ArtifactGcResponse.parse(
      await readJson(await gc(admin, { min_age_ms: 0, dry_run: true })),
    )
    expect(dry).toMatchObject({ dry_run: true, deleted: 1, bytes: ORPHAN.length })
    expect(dry.blobs.map((b) => b.digest)).toEqual([ORPHAN_SHA256])
    expect(await t.artifacts.stat(ORPHAN_SHA256)).toBeDefined()
    const res = await gc(admin, { min_age_ms: 0 })
    expect(res.status).toBe(200)
    expect(ArtifactGcResponse.parse(await readJson(res))).toMatchObject({ deleted: 1 })
    expect(await t.artifacts.stat(ORPHAN_SHA256)).toBeUndefined()
  })
})

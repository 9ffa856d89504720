import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp, readJson } from '../test-support/open-test-app.js'

let t: TestApp
let admin: Record<string, string>
beforeAll(async () => {
  t = await openTestApp({ auth: { enabled: true } })
  const { token } = await t.services.tokens.createToken({ name: 'root', role: 'admin' })
  admin = { Authorization: `Bearer ${token}` }
})
afterAll(async () => {
  await t.dispose()
})

const post = (body: unknown) =>
  t.app.request('/api/v1/tokens', { method: 'POST', headers: admin, body: JSON.stringify(body) })

describe('tokens API', () => {
  it('POST /api/v1/tokens answers 201 with the secret, which then authenticates', async () => {
    const res = await post({ name: 'ci', role: 'editor' })
    expect(res.status).toBe(201)
    const body = await readJson(res)
    expect(Object.keys(body).sort()).toEqual(['created_at', 'name', 'role', 'token', 'token_id'])
    expect(body).toMatchObject({ name: 'ci', role: 'editor', created_at: expect.any(Number) })
    expect(body.token).toMatch(/^blst_/)
    const whoami = await t.app.request('/api/v1/whoami', {
      headers: { Authorization: `Bearer ${body.token}` },
    })
    expect(await readJson(whoami)).toEqual({ kind: 'token', name: 'ci', role: 'editor' })
  })

  it('names the bad field and refuses a taken name', async () => {
    const bad = await post({ name: 'ok', role: 'superuser' })
    expect(bad.status).toBe(400)
    expect(await readJson(bad)).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message:
        "Invalid value for parameter 'role': 'superuser' must be one of viewer, editor, admin",
    })
    const missing = await post({ role: 'viewer' })
    expect(missing.status).toBe(400)
    expect((await readJson(missing)).message).toContain("'name'")
    const taken = await post({ name: 'root', role: 'viewer' })
    expect(taken.status).toBe(400)
    expect((await readJson(taken)).error_code).toBe('RESOURCE_ALREADY_EXISTS')
  })

  it('GET /api/v1/tokens lists tokens without secrets or hashes', async () => {
    const res = await t.app.request('/api/v1/tokens', { headers: admin })
    expect(res.status).toBe(200)
    const { tokens } = await readJson(res)
    const root = tokens.find((x: { name: string }) => x.name === 'root')
    expect(Object.keys(root).sort()).toEqual([
      'created_at',
      'last_used_at',
      'name',
      'revoked_at',
      'role',
      'token_id',
    ])
    expect(root).toMatchObject({
      role: 'admin',
      revoked_at: null,
      last_used_at: expect.any(Number),
    })
    const hashes = await t.store.db.selectFrom('tokens').select('token_hash').execute()
    const text = JSON.stringify(tokens)
    for (const { token_hash } of hashes) expect(text).not.toContain(token_hash)
  })

  it('DELETE /api/v1/tokens/:name revokes; the token then gets 401', async () => {
    const { token } = await readJson(await post({ name: 'temp', role: 'viewer' }))
    const res = await t.app.request('/api/v1/tokens/temp', { method: 'DELETE', headers: admin })
    expect(res.status).toBe(200)
    expect((await readJson(res)).token).toMatchObject({
      name: 'temp',
      revoked_at: expect.any(Number),
    })
    const after = await t.app.request('/api/v1/whoami', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(after.status).toBe(401)
    const missing = await t.app.request('/api/v1/tokens/ghost', {
      method: 'DELETE',
      headers: admin,
    })
    expect(missing.status).toBe(404)
    expect(await readJson(missing)).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: "token 'ghost' does not exist",
    })
  })
})

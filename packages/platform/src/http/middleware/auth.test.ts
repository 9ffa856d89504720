import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basicAuth, openTestApp, type TestApp, readJson } from '../test-support/open-test-app.js'
import { credentialFromHeader } from './auth.js'

describe('credentialFromHeader', () => {
  it('reads Bearer tokens and the password of Basic credentials', () => {
    expect(credentialFromHeader('Bearer blst_abc')).toBe('blst_abc')
    expect(credentialFromHeader('bearer   blst_abc ')).toBe('blst_abc')
    expect(credentialFromHeader(basicAuth('anyone', 'blst_abc'))).toBe('blst_abc')
    expect(credentialFromHeader(basicAuth('', 'blst_a:b'))).toBe('blst_a:b')
  })

  it('returns nothing for other schemes and malformed values', () => {
    expect(credentialFromHeader('Token blst_abc')).toBeUndefined()
    expect(credentialFromHeader('Bearer')).toBeUndefined()
    expect(credentialFromHeader('Bearer a b')).toBeUndefined()
    expect(
      credentialFromHeader(`Basic ${Buffer.from('no-colon').toString('base64')}`),
    ).toBeUndefined()
    expect(credentialFromHeader(basicAuth('user', ''))).toBeUndefined()
  })
})

describe('auth on', () => {
  let t: TestApp
  const secrets: Record<string, string> = {}
  beforeAll(async () => {
    t = await openTestApp({ auth: { enabled: true } })
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      secrets[role] = (await t.services.tokens.createToken({ name: `${role}-token`, role })).token
    }
  })
  afterAll(async () => {
    await t.dispose()
  })
  const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` })

  it('answers 401 with a Basic challenge when no credentials are sent', async () => {
    const res = await t.app.request('/api/v1/whoami')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="ballast"')
    expect(await readJson(res)).toEqual({
      error_code: 'UNAUTHENTICATED',
      message:
        'authentication required: send "Authorization: Bearer <token>" or HTTP Basic with the token as the password',
    })
  })

  it('accepts a Bearer token', async () => {
    const res = await t.app.request('/api/v1/whoami', { headers: bearer(secrets.editor!) })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ kind: 'token', name: 'editor-token', role: 'editor' })
  })

  it('accepts HTTP Basic with the token as the password and any user name', async () => {
    const res = await t.app.request('/api/v1/whoami', {
      headers: { Authorization: basicAuth('mlflow-user', secrets.viewer!) },
    })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ kind: 'token', name: 'viewer-token', role: 'viewer' })
  })

  it('answers 401 to an unknown token and to an unsupported scheme', async () => {
    const unknown = await t.app.request('/api/v1/whoami', {
      headers: bearer('blst_not-a-real-token'),
    })
    expect(unknown.status).toBe(401)
    expect(unknown.headers.get('www-authenticate')).toBe('Basic realm="ballast"')
    expect(await readJson(unknown)).toEqual({
      error_code: 'UNAUTHENTICATED',
      message: 'the token is not valid or has been revoked',
    })
    const digest = await t.app.request('/api/v1/whoami', {
      headers: { Authorization: 'Digest abc' },
    })
    expect(digest.status).toBe(401)
    expect((await readJson(digest)).message).toContain('unsupported Authorization header')
  })

  it('answers 401 to a revoked token', async () => {
    const { token } = await t.services.tokens.createToken({ name: 'short-lived', role: 'admin' })
    expect((await t.app.request('/api/v1/whoami', { headers: bearer(token) })).status).toBe(200)
    await t.services.tokens.revokeToken('short-lived')
    const res = await t.app.request('/api/v1/whoami', { headers: bearer(token) })
    expect(res.status).toBe(401)
    expect((await readJson(res)).error_code).toBe('UNAUTHENTICATED')
  })

  it('answers 403 naming the role needed when the role is too weak', async () => {
    const write = await t.app.request('/api/v1/tokens', {
      method: 'POST',
      headers: bearer(secrets.viewer!),
      body: JSON.stringify({ name: 'x', role: 'viewer' }),
    })
    expect(write.status).toBe(403)
    expect(await readJson(write)).toEqual({
      error_code: 'PERMISSION_DENIED',
      message: "POST /api/v1/tokens requires the admin role; 'viewer-token' has the viewer role",
    })
    for (const role of ['viewer', 'editor'] as const) {
      const list = await t.app.request('/api/v1/tokens', { headers: bearer(secrets[role]!) })
      expect(list.status).toBe(403)
      expect((await readJson(list)).message).toContain('requires the admin role')
    }
    const admin = await t.app.request('/api/v1/tokens', { headers: bearer(secrets.admin!) })
    expect(admin.status).toBe(200)
  })

  it('lets public routes through without credentials', async () => {
    const res = await t.app.request('/health/live')
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ status: 'ok' })
  })
})

describe('auth off', () => {
  it('treats every request as the anonymous admin and ignores credentials', async () => {
    const t = await openTestApp()
    try {
      const variants: Record<string, string>[] = [{}, { Authorization: 'Bearer blst_whatever' }]
      for (const headers of variants) {
        const res = await t.app.request('/api/v1/whoami', { headers })
        expect(res.status).toBe(200)
        expect(await readJson(res)).toEqual({ kind: 'anonymous', name: 'anonymous', role: 'admin' })
      }
      expect((await t.app.request('/api/v1/tokens')).status).toBe(200)
    } finally {
      await t.dispose()
    }
  })
})

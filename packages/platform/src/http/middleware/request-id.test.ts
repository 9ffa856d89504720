import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp, readJson } from '../test-support/open-test-app.js'

let t: TestApp
beforeAll(async () => {
  t = await openTestApp()
})
afterAll(async () => {
  await t.dispose()
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('request id', () => {
  it('echoes a sane incoming X-Request-Id', async () => {
    const res = await t.app.request('/health/live', { headers: { 'X-Request-Id': 'trace-42_a.b' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('trace-42_a.b')
  })

  it('generates one when none is sent, a new one per request', async () => {
    const a = (await t.app.request('/health/live')).headers.get('x-request-id')
    const b = (await t.app.request('/health/live')).headers.get('x-request-id')
    expect(a).toMatch(UUID)
    expect(b).toMatch(UUID)
    expect(a).not.toBe(b)
  })

  it('replaces an id that is too long or carries unsafe characters', async () => {
    for (const bad of ['x'.repeat(129), 'a b', 'a\tb', 'id;drop', '<script>', '']) {
      const res = await t.app.request('/health/live', { headers: { 'X-Request-Id': bad } })
      expect(res.headers.get('x-request-id')).toMatch(UUID)
    }
    const longest = 'x'.repeat(128)
    const res = await t.app.request('/health/live', { headers: { 'X-Request-Id': longest } })
    expect(res.headers.get('x-request-id')).toBe(longest)
  })

  it('is on error answers too', async () => {
    const res = await t.app.request('/no/such/endpoint', { headers: { 'X-Request-Id': 'err-1' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-request-id')).toBe('err-1')
    expect(await readJson(res)).toEqual({
      error_code: 'ENDPOINT_NOT_FOUND',
      message: 'no endpoint GET /no/such/endpoint',
    })
  })
})

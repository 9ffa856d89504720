import pino from 'pino'
import { expect, it } from 'vitest'
import { openTestApp } from '../test-support/open-test-app.js'

it('writes one JSON line per request with route, status, duration, request id and actor', async () => {
  const lines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  const t = await openTestApp({ logger, auth: { enabled: true } })
  try {
    const { token } = await t.services.tokens.createToken({ name: 'ci', role: 'admin' })
    const res = await t.app.request('/api/v1/tokens/nobody?secret=x', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': 'req-7' },
    })
    expect(res.status).toBe(404)
    expect(lines).toHaveLength(1)
    const entry = JSON.parse(lines[0]!)
    expect(entry).toMatchObject({
      msg: 'request',
      requestId: 'req-7',
      method: 'DELETE',
      route: '/api/v1/tokens/:name',
      path: '/api/v1/tokens/nobody',
      status: 404,
      actor: 'ci',
    })
    expect(entry.durationMs).toBeGreaterThanOrEqual(0)
    expect(lines[0]).not.toContain(token)
    expect(lines[0]).not.toContain(token.slice(5))
    expect(lines[0]).not.toMatch(/authorization|secret=/i)

    await t.app.request('/api/v1/whoami', { headers: { Authorization: 'Bearer blst_wrong' } })
    expect(JSON.parse(lines[1]!)).toMatchObject({ route: '/api/v1/whoami', status: 401 })
    expect(JSON.parse(lines[1]!).actor).toBeUndefined()
    expect(lines[1]).not.toContain('blst_wrong')
  } finally {
    await t.dispose()
  }
})

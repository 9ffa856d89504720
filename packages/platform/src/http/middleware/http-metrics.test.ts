import { expect, it } from 'vitest'
import { openTestApp } from '../test-support/open-test-app.js'

it('counts requests by matched route pattern, never by raw URL', async () => {
  const t = await openTestApp()
  try {
    await t.app.request('/api/v1/tokens/first', { method: 'DELETE' })
    await t.app.request('/api/v1/tokens/second', { method: 'DELETE' })
    await t.app.request('/health/live')
    await t.app.request('/no/such/thing')
    const res = await t.app.request('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await res.text()
    expect(text).toContain(
      'ballast_http_requests_total{method="DELETE",route="/api/v1/tokens/:name",status="404"} 2',
    )
    expect(text).toContain(
      'ballast_http_requests_total{method="GET",route="/health/live",status="200"} 1',
    )
    expect(text).toContain(
      'ballast_http_requests_total{method="GET",route="unmatched",status="404"} 1',
    )
    expect(text).toMatch(
      /ballast_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} 1/,
    )
    expect(text).not.toContain('/api/v1/tokens/first')
    // Default process metrics share the app's registry.
    expect(text).toContain('process_cpu_user_seconds_total')
  } finally {
    await t.dispose()
  }
})

it('keeps each app’s counts apart', async () => {
  const a = await openTestApp()
  const b = await openTestApp()
  try {
    await a.app.request('/health/live')
    const text = await (await b.app.request('/metrics')).text()
    expect(text).not.toContain('route="/health/live"')
  } finally {
    await a.dispose()
    await b.dispose()
  }
})

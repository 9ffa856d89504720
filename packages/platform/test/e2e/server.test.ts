import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/index.js'
import { defineRoute } from '../../src/http/route.js'
import { ALL_ROUTES } from '../../src/http/routes/index.js'
import { startServer, type RunningServer } from '../../src/http/server.js'
import { createLogger } from '../../src/observability/logger.js'
import { openRuntime, type Runtime } from '../../src/runtime/open-runtime.js'

let home: string
let runtime: Runtime
let server: RunningServer | undefined

async function open(flags: Record<string, unknown> = {}): Promise<Runtime> {
  const config = loadConfig({ env: {}, cwd: home, flags: { home, ...flags } })
  return openRuntime(config, { logger: createLogger({ level: 'silent' }) })
}

beforeEach(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'ballast-e2e-'))
  server = undefined
})
afterEach(async () => {
  await server?.close()
  await runtime.close()
  rmSync(home, { recursive: true, force: true })
})

/** A route that answers only when the test lets it. */
function gatedRoute() {
  let release!: () => void
  let entered!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const started = new Promise<void>((resolve) => (entered = resolve))
  const route = defineRoute({
    method: 'GET',
    path: '/test/slow',
    permission: 'public',
    handler: async () => {
      entered()
      await gate
      return { done: true }
    },
  })
  return { route, release, started }
}

describe('ballast server', () => {
  it('serves the app on a free port', async () => {
    runtime = await open()
    server = await startServer(runtime, { host: '127.0.0.1', port: 0 })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${server.url}/health/ready`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('refuses a non-loopback host while auth is off', async () => {
    runtime = await open()
    await expect(startServer(runtime, { host: '0.0.0.0', port: 0 })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining('server.host: 0.0.0.0 is not a loopback address'),
    })
  })

  it('lets a request in flight finish on close, then refuses new connections', async () => {
    runtime = await open()
    const slow = gatedRoute()
    server = await startServer(runtime, {
      host: '127.0.0.1',
      port: 0,
      routes: [...ALL_ROUTES, slow.route],
    })
    const { url } = server
    const inFlight = fetch(`${url}/test/slow`)
    await slow.started
    let closed = false
    const closing = server.close().then(() => (closed = true))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(closed).toBe(false)
    slow.release()
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ done: true })
    await closing
    await expect(fetch(`${url}/health/live`)).rejects.toThrow()
    // The runtime was closed with the server.
    await expect(runtime.store.ping()).rejects.toThrow()
  })

  it('cuts requests still running at the shutdown deadline', async () => {
    runtime = await open({ 'server.shutdownTimeoutMs': 200 })
    const slow = gatedRoute()
    server = await startServer(runtime, { host: '127.0.0.1', port: 0, routes: [slow.route] })
    const inFlight = fetch(`${server.url}/test/slow`).then(
      () => 'answered',
      () => 'cut',
    )
    await slow.started
    const started = Date.now()
    await server.close()
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
    expect(await inFlight).toBe('cut')
    slow.release()
  })
})

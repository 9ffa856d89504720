import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { loadConfig } from '../config/index.js'
import { createLogger } from '../observability/logger.js'
import { SqliteMetadataStore } from '../storage/index.js'
import { readJson } from '../http/test-support/open-test-app.js'
import { createRuntimeApp } from '../http/runtime-app.js'
import { openRuntime } from './open-runtime.js'

let home: string
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'ballast-runtime-'))
})
afterEach(() => {
  rmSync(home, { recursive: true, force: true })
})

const silent = createLogger({ level: 'silent' })

it('opens a migrated store, the artifact store and the services, and closes them', async () => {
  const config = loadConfig({ env: {}, cwd: home, flags: { home } })
  const runtime = await openRuntime(config, { logger: silent })
  try {
    expect(runtime.store.description).toBe(`sqlite:${path.join(home, 'ballast.db')}`)
    expect(runtime.artifacts.description).toContain(path.join(home, 'artifacts'))
    expect(await runtime.services.tokens.listTokens()).toEqual([])
    const experiments = await runtime.store.db.selectFrom('experiments').select('name').execute()
    expect(experiments).toEqual([{ name: 'Default' }])
  } finally {
    await runtime.close()
    await runtime.close()
  }
  await expect(runtime.store.ping()).rejects.toThrow()
})

it('applies the configured limits and auth to the app', async () => {
  const config = loadConfig({
    env: {},
    cwd: home,
    flags: { home, 'auth.enabled': true, 'server.bodyLimitBytes': 10 },
  })
  const runtime = await openRuntime(config, { logger: silent })
  try {
    const app = createRuntimeApp(runtime)
    expect((await app.request('/api/v1/whoami')).status).toBe(401)
    const { token } = await runtime.services.tokens.createToken({ name: 'root', role: 'admin' })
    const res = await app.request('/api/v1/tokens', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'long-enough', role: 'viewer' }),
    })
    expect(res.status).toBe(413)
    expect((await readJson(res)).message).toBe(
      'request body exceeds the limit of 10 bytes (server.bodyLimitBytes)',
    )
    const open = createRuntimeApp(runtime, { authEnabled: false })
    expect((await open.request('/api/v1/whoami')).status).toBe(200)
  } finally {
    await runtime.close()
  }
})

it('closes the metadata store when the artifact store cannot open', async () => {
  const blocker = path.join(home, 'not-a-folder')
  writeFileSync(blocker, 'x')
  const config = loadConfig({
    env: {},
    cwd: home,
    flags: { home, artifacts: path.join(blocker, 'artifacts') },
  })
  const close = vi.spyOn(SqliteMetadataStore.prototype, 'close')
  try {
    await expect(openRuntime(config, { logger: silent })).rejects.toThrow(/not-a-folder/)
    expect(close).toHaveBeenCalledTimes(1)
  } finally {
    close.mockRestore()
  }
})

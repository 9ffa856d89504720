import { describe, expect, it } from 'vitest'
import type { ArtifactStore } from '../../artifacts/artifact-store.js'
import { createServices } from '../../runtime/services.js'
import type { MetadataStore } from '../../storage/index.js'
import { createApp } from '../app.js'
import { openTestApp, readJson } from '../test-support/open-test-app.js'

/** A store double whose database is unreachable. */
function unreachableStore(): MetadataStore {
  return {
    db: undefined as never,
    capabilities: {
      supportsSkipLocked: false,
      singleWriter: true,
      supportsIlike: false,
      maxBindParameters: 1,
    },
    description: 'unreachable',
    migrate: async () => {},
    ping: async () => {
      throw new Error('connect ECONNREFUSED 10.1.2.3:5432')
    },
    close: async () => {},
  }
}

describe('health', () => {
  it('GET /health/live answers 200 {status: ok}', async () => {
    const t = await openTestApp()
    try {
      const res = await t.app.request('/health/live')
      expect(res.status).toBe(200)
      expect(await readJson(res)).toEqual({ status: 'ok' })
    } finally {
      await t.dispose()
    }
  })

  it('GET /health/ready answers 200 when the metadata store answers', async () => {
    const t = await openTestApp({ auth: { enabled: true } })
    try {
      const res = await t.app.request('/health/ready')
      expect(res.status).toBe(200)
      expect(await readJson(res)).toEqual({ status: 'ok' })
    } finally {
      await t.dispose()
    }
  })

  it('GET /health/ready answers 503 when the store ping fails, without the driver error', async () => {
    const services = createServices({ store: unreachableStore(), artifacts: {} as ArtifactStore })
    const app = createApp({ services })
    const res = await app.request('/health/ready')
    expect(res.status).toBe(503)
    const body = await readJson(res)
    expect(body).toEqual({ status: 'unavailable', reason: 'metadata store did not answer ping' })
    expect(JSON.stringify(body)).not.toContain('10.1.2.3')
    // Liveness does not depend on the store.
    expect((await app.request('/health/live')).status).toBe(200)
  })

  it('uses the ready option when given', async () => {
    const t = await openTestApp({
      ready: async () => {
        throw new Error('warming up')
      },
    })
    try {
      const res = await t.app.request('/health/ready')
      expect(res.status).toBe(503)
      expect(await readJson(res)).toEqual({
        status: 'unavailable',
        reason: 'readiness check failed; see the server log',
      })
    } finally {
      await t.dispose()
    }
  })
})

describe('GET /metrics', () => {
  it('needs a viewer token when auth is on', async () => {
    const t = await openTestApp({ auth: { enabled: true } })
    try {
      expect((await t.app.request('/metrics')).status).toBe(401)
      const { token } = await t.services.tokens.createToken({ name: 'prometheus', role: 'viewer' })
      const res = await t.app.request('/metrics', { headers: { Authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('# TYPE ballast_http_requests_total counter')
    } finally {
      await t.dispose()
    }
  })
})

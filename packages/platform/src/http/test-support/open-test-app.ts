import type { Hono } from 'hono'
import type { ArtifactStore } from '../../artifacts/artifact-store.js'
import { createServices, type Services } from '../../runtime/services.js'
import type { MetadataStore } from '../../storage/index.js'
import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { createApp, type AppEnv, type AppOptions } from '../app.js'

/** Artifact store for HTTP tests that never touch artifacts: any call is a test bug. */
const NO_ARTIFACTS: ArtifactStore = new Proxy({} as ArtifactStore, {
  get(_target, property) {
    if (property === 'description') return 'none'
    if (property === 'then') return undefined
    return () => {
      throw new Error(`artifact store not available in this test (called ${String(property)})`)
    }
  },
})

export interface TestApp {
  app: Hono<AppEnv>
  services: Services
  store: MetadataStore
  dispose(): Promise<void>
}

/** An app over a fresh migrated SQLite store. */
export async function openTestApp(options: Omit<AppOptions, 'services'> = {}): Promise<TestApp> {
  const testStore = await openTestSqliteStore()
  const { store } = testStore
  const services = createServices({ store, artifacts: NO_ARTIFACTS })
  return {
    app: createApp({ ...options, services }),
    services,
    store,
    dispose: () => testStore.dispose(),
  }
}

/** `Authorization` header value for HTTP Basic with the token as the password. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`
}

/** A response's JSON body, loosely typed so that tests can reach into it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(res: Response): Promise<any> {
  return res.json()
}

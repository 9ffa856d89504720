import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Hono } from 'hono'
import { afterEach, beforeEach, vi } from 'vitest'
import { LocalArtifactStore } from '../../../artifacts/local-artifact-store.js'
import { type Services, createServices } from '../../../runtime/services.js'
import { type TestStore, openTestSqliteStore } from '../../../storage/test-support/test-stores.js'
import { type AppEnv, createApp } from '../../app.js'
import { MLFLOW_ROUTES } from '../mlflow-api-routes.js'

export interface JsonAnswer {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

/**
 * The whole app over a fresh store and a temporary artifact folder, with helpers that speak
 * MLflow's REST API as its clients do (paths relative to `/api/2.0/mlflow`).
 */
export interface MlflowTestClient {
  app: Hono<AppEnv>
  services: Services
  post(endpoint: string, body: unknown): Promise<JsonAnswer>
  get(endpoint: string, query?: string | Record<string, string | number>): Promise<JsonAnswer>
  /** Any request, path absolute. */
  request(pathAndQuery: string, init?: RequestInit): Promise<Response>
  /** Creates an experiment and a run in it; returns their ids. */
  createRun(experimentName?: string): Promise<{ experimentId: string; runId: string }>
  dispose(): Promise<void>
}

/**
 * Reads a JSON answer; a 200 answer must also match the route's response schema, so that every
 * test checks the contract too.
 */
async function json(response: Response, method: string, routePath: string): Promise<JsonAnswer> {
  const text = await response.text()
  const body: unknown = text === '' ? undefined : JSON.parse(text)
  if (response.status === 200) {
    const route = MLFLOW_ROUTES.find(
      (r) => r.path === routePath && [r.method].flat().includes(method as never),
    )
    const checked = route?.response?.safeParse(body)
    if (checked?.success === false) {
      throw new Error(
        `${method} ${routePath} answered outside its response schema: ${checked.error.message}`,
      )
    }
  }
  return { status: response.status, body }
}

export async function openMlflowTestClient(
  openStore: () => Promise<TestStore> = openTestSqliteStore,
): Promise<MlflowTestClient> {
  const testStore = await openStore()
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-artifacts-'))
  const artifacts = new LocalArtifactStore(dir)
  await artifacts.init()
  const services = createServices({ store: testStore.store, artifacts })
  const app = createApp({ services })
  const client: MlflowTestClient = {
    app,
    services,
    request: async (pathAndQuery, init) => app.request(pathAndQuery, init),
    post: async (endpoint, body) =>
      json(
        await app.request(`/api/2.0/mlflow/${endpoint}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
        'POST',
        `/api/2.0/mlflow/${endpoint}`,
      ),
    get: async (endpoint, query = '') => {
      const search =
        typeof query === 'string'
          ? query
          : new URLSearchParams(
              Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
            ).toString()
      const url = `/api/2.0/mlflow/${endpoint}${search === '' ? '' : `?${search}`}`
      return json(await app.request(url), 'GET', `/api/2.0/mlflow/${endpoint}`)
    },
    createRun: async (experimentName = 'exp') => {
      const created = await client.post('experiments/create', { name: experimentName })
      const experimentId = created.body.experiment_id as string
      const run = await client.post('runs/create', {
        experiment_id: experimentId,
        start_time: 1000,
      })
      return { experimentId, runId: run.body.run.info.run_id as string }
    },
    dispose: async () => {
      await artifacts.close()
      await testStore.dispose()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return client
}

/** The fixed clock of the route tests, so that MLflow's timestamps in bodies are exact. */
export const TEST_NOW = 1_700_000_000_000

/**
 * A fresh client for every test, with Date frozen at TEST_NOW; `set` receives each new client.
 * Only Date is faked: SQLite's group commit waits on a real event-loop turn.
 */
export function useMlflowTestClient(set: (client: MlflowTestClient) => void): void {
  let current: MlflowTestClient | undefined
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TEST_NOW)
    current = await openMlflowTestClient()
    set(current)
  })
  afterEach(async () => {
    vi.useRealTimers()
    await current?.dispose()
  })
}

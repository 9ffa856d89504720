import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { type AppEnv, createApp } from '../app.js'

let t: TestData
let app: Hono<AppEnv>
let editor: string
let admin: string

beforeAll(async () => {
  t = await openTestData()
  app = createApp({ services: t.services, auth: { enabled: true } })
  editor = (await t.services.tokens.createToken({ name: 'ed', role: 'editor' })).token
  admin = (await t.services.tokens.createToken({ name: 'root', role: 'admin' })).token
})
afterAll(() => t.dispose())

const post = (path: string, body: string, token: string, type = 'application/yaml') =>
  app.request(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
    body,
  })

const INGEST = `name: loans
params: { trees: 5 }
steps:
  - name: data
    kind: ingest
    with: { dataset: "loans@1" }
`

describe('pipelines API', () => {
  it('applies YAML (201), starts a run (202) and shows it with its steps', async () => {
    const applied = await post('/api/v1/pipelines', INGEST, editor)
    expect(applied.status).toBe(201)
    const { pipeline } = (await applied.json()) as { pipeline: { name: string; digest: string } }
    expect(pipeline.name).toBe('loans')
    expect(pipeline.digest).toMatch(/^[0-9a-f]{64}$/)

    const started = await post(
      '/api/v1/pipelines/loans/runs',
      JSON.stringify({ params: { trees: 7 } }),
      editor,
      'application/json',
    )
    expect(started.status).toBe(202)
    const { run } = (await started.json()) as { run: { id: string; params: unknown } }
    expect(run.params).toEqual({ trees: 7 })
    const shown = await app.request(`/api/v1/pipeline-runs/${run.id}`, {
      headers: { Authorization: `Bearer ${editor}` },
    })
    const body = (await shown.json()) as { run: { steps: { step: string; status: string }[] } }
    expect(body.run.steps.map((s) => [s.step, s.status])).toEqual([['data', 'running']])

    const list = await app.request('/api/v1/pipelines/loans/runs', {
      headers: { Authorization: `Bearer ${editor}` },
    })
    expect(((await list.json()) as { runs: unknown[] }).runs.length).toBe(1)
    const cancelled = await post(`/api/v1/pipeline-runs/${run.id}/cancel`, '', editor)
    expect(((await cancelled.json()) as { run: { status: string } }).run.status).toBe('cancelled')
  })

  it('refuses server file paths and command steps from an editor, and relative paths from anyone', async () => {
    const fileSpec = INGEST.replace('{ dataset: "loans@1" }', '{ file: /etc/passwd }')
    const denied = await post('/api/v1/pipelines', fileSpec, editor)
    expect(denied.status).toBe(403)
    expect(((await denied.json()) as { message: string }).message).toBe(
      'steps[0]: with.file names a file on the server; applying it needs the admin role',
    )
    const relative = await post(
      '/api/v1/pipelines',
      INGEST.replace('{ dataset: "loans@1" }', '{ file: data/jan.csv }'),
      admin,
    )
    expect(relative.status).toBe(400)
    expect(((await relative.json()) as { message: string }).message).toBe(
      "steps[0].with.file: 'data/jan.csv' is relative; through the API file paths must be absolute paths on the server",
    )
    const command = `name: c\nsteps:\n  - name: a\n    kind: command\n    with: { run: [ls] }\n`
    expect((await post('/api/v1/pipelines', command, editor)).status).toBe(403)
    expect((await post('/api/v1/pipelines', command, admin)).status).toBe(201)
  })

  it('names the line of a bad spec', async () => {
    const bad = await post(
      '/api/v1/pipelines',
      INGEST.replace('kind: ingest', 'kind: ingest\n    retries: 0'),
      editor,
    )
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toMatch(
      /^pipeline\.yaml:6: steps\[0\]\.retries: /,
    )
  })
})

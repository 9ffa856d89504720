import { readFileSync } from 'node:fs'
import path from 'node:path'
import { CreateTrainingResponse } from '@ballast/contracts'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VEGA_DATA, type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

const WEATHER = readFileSync(path.join(VEGA_DATA, 'seattle-weather.csv'))

let t: TestData
let app: Hono<AppEnv>
beforeAll(async () => {
  t = await openTestData()
  app = createApp({ services: t.services })
  const res = await app.request('/api/v1/datasets/weather/versions?format=csv', {
    method: 'POST',
    body: WEATHER,
  })
  expect(res.status).toBe(201)
})
afterAll(async () => {
  await t.dispose()
})

const train = (body: unknown) =>
  app.request('/api/v1/trainings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

const base = { dataset: 'weather', target: 'weather', task: 'classification', algo: 'gbdt' }

describe('POST /api/v1/trainings', () => {
  it('queues a train job with the dataset version pinned: 202 with the job', async () => {
    const res = await train({ ...base, params: { numTrees: 20 } })
    expect(res.status).toBe(202)
    const { job } = CreateTrainingResponse.parse(await readJson(res))
    expect(job).toMatchObject({ kind: 'train', status: 'queued', createdBy: 'anonymous' })
    // `weather` meant the latest version when asked; the job trains on exactly that one.
    expect(await t.services.jobs.payload(job.id)).toMatchObject({
      dataset: 'weather@1',
      params: { numTrees: '20' },
    })
  })

  it.each([
    [
      { ...base, target: 'rain' },
      "Invalid value for parameter 'target': dataset weather@1 has no column 'rain'",
    ],
    [
      { ...base, features: ['date', 'snow'] },
      "parameter 'features[1]': dataset weather@1 has no column 'snow'",
    ],
    [
      { ...base, algo: 'linear' },
      "Invalid value for parameter 'algo': linear is for regression, not classification",
    ],
    [
      { ...base, params: { numTrees: 'many' } },
      "gbdt parameter 'numTrees' must be an integer; got 'many'",
    ],
    [{ ...base, params: { depth: 3 } }, "unknown gbdt parameter 'depth'"],
    [{ ...base, search: { kind: 'grid', space: { learningRate: 'fast' } } }, 'learningRate'],
    [
      { ...base, split: { kind: 'time', column: 'when', test_after: '2015-01-01' } },
      "'split.column'",
    ],
  ])('refuses %j with 400 naming the problem', async (body, message) => {
    const res = await train(body)
    expect(res.status).toBe(400)
    const error = (await readJson(res)) as { error_code: string; message: string }
    expect(error.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect(error.message).toContain(message)
  })

  it('answers 404 for a dataset that does not exist and 400 for a malformed body', async () => {
    expect((await train({ ...base, dataset: 'nope' })).status).toBe(404)
    expect((await train({ ...base, task: 'ranking' })).status).toBe(400)
  })
})

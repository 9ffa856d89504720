import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'

/** registered-models/search and model-versions/search: filters, order_by and paging. */

let t: MlflowTestClient
let runA: string
let runB: string

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  t = await openMlflowTestClient()
  runA = (await t.createRun('ea')).runId
  runB = (await t.createRun('eb')).runId
  // Created in this order, one millisecond apart: fraud-b, churn, fraud-a, Fraud-C.
  const models: [string, string][] = [
    ['fraud-b', 'risk'],
    ['churn', 'growth'],
    ['fraud-a', 'risk'],
    ['Fraud-C', 'growth'],
  ]
  let now = 1_000
  for (const [name, team] of models) {
    vi.setSystemTime(now++)
    await t.post('registered-models/create', { name, tags: [{ key: 'team', value: team }] })
  }
  vi.setSystemTime(now++)
  await t.post('model-versions/create', { name: 'fraud-a', source: `runs:/${runA}/model` })
  vi.setSystemTime(now++)
  await t.post('model-versions/create', { name: 'fraud-a', source: `runs:/${runB}/model` })
  vi.setSystemTime(now++)
  await t.post('model-versions/create', {
    name: 'churn',
    source: `runs:/${runA}/churn`,
    tags: [{ key: 'validated', value: 'yes' }],
  })
})

afterAll(async () => {
  vi.useRealTimers()
  await t.dispose()
})

async function modelNames(query: Record<string, string | number>): Promise<string[]> {
  const res = await t.get('registered-models/search', query)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return (res.body.registered_models ?? []).map((m: { name: string }) => m.name)
}

async function versionKeys(query: Record<string, string | number>): Promise<string[]> {
  const res = await t.get('model-versions/search', query)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return (res.body.model_versions ?? []).map(
    (v: { name: string; version: string }) => `${v.name}/${v.version}`,
  )
}

describe('registered-models/search', () => {
  it('orders by name by default, and by last_updated_timestamp when asked', async () => {
    expect(await modelNames({})).toEqual(['Fraud-C', 'churn', 'fraud-a', 'fraud-b'])
    expect(await modelNames({ order_by: 'last_updated_timestamp DESC' })).toEqual([
      'churn',
      'fraud-a',
      'Fraud-C',
      'fraud-b',
    ])
    expect(await modelNames({ order_by: 'name DESC' })).toEqual([
      'fraud-b',
      'fraud-a',
      'churn',
      'Fraud-C',
    ])
  })

  it('filters on name (=, LIKE case-sensitive, ILIKE) and tags', async () => {
    expect(await modelNames({ filter: "name = 'churn'" })).toEqual(['churn'])
    expect(await modelNames({ filter: "name LIKE 'fraud%'" })).toEqual(['fraud-a', 'fraud-b'])
    expect(await modelNames({ filter: "name ILIKE 'fraud%'" })).toEqual([
      'Fraud-C',
      'fraud-a',
      'fraud-b',
    ])
    expect(await modelNames({ filter: "tags.team = 'growth'" })).toEqual(['Fraud-C', 'churn'])
    expect(await modelNames({ filter: "name ILIKE 'fraud%' AND tags.`team` = 'risk'" })).toEqual([
      'fraud-a',
      'fraud-b',
    ])
    expect(await modelNames({ filter: "name = 'nothing'" })).toEqual([])
  })

  it('pages with next_page_token until the last page, which has none', async () => {
    const first = await t.get('registered-models/search', { max_results: 3 })
    expect(first.body.registered_models.map((m: { name: string }) => m.name)).toEqual([
      'Fraud-C',
      'churn',
      'fraud-a',
    ])
    const second = await t.get('registered-models/search', {
      max_results: 3,
      page_token: first.body.next_page_token,
    })
    expect(second.body).toEqual({
      registered_models: [expect.objectContaining({ name: 'fraud-b' })],
    })
  })

  it('refuses bad filters, order_by keys, max_results and page tokens, naming them', async () => {
    const cases: [Record<string, string | number>, string][] = [
      [
        { filter: "description = 'x'" },
        "Invalid filter 'description = 'x''. Invalid attribute key 'description'. Valid keys are name.",
      ],
      [
        { filter: 'name = churn' },
        "Invalid filter 'name = churn'. Expected a quoted string after 'name ='.",
      ],
      [{ filter: "name > 'a'" }, "Invalid filter 'name > 'a''. Could not be parsed."],
      [
        { order_by: 'owner' },
        "Invalid order_by clause 'owner'. Valid keys are name, creation_timestamp, last_updated_timestamp, timestamp, each optionally followed by ASC or DESC.",
      ],
      [
        { max_results: 1001 },
        'Invalid value for request parameter max_results. It must be at most 1000 and at least 1, but got value 1001',
      ],
      [
        { page_token: 'garbage' },
        "Invalid value for parameter 'page_token': not a page token of this server",
      ],
    ]
    for (const [query, message] of cases) {
      expect(await t.get('registered-models/search', query)).toEqual({
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message },
      })
    }
  })
})

describe('model-versions/search', () => {
  it('orders by last update, newest first, by default', async () => {
    expect(await versionKeys({})).toEqual(['churn/1', 'fraud-a/2', 'fraud-a/1'])
    const res = await t.get(
      'model-versions/search',
      'order_by=name+ASC&order_by=version_number+ASC',
    )
    expect(
      res.body.model_versions.map(
        (v: { name: string; version: string }) => `${v.name}/${v.version}`,
      ),
    ).toEqual(['churn/1', 'fraud-a/1', 'fraud-a/2'])
  })

  it('filters on name, run_id (= and IN), source_path, version_number and tags', async () => {
    expect(await versionKeys({ filter: "name = 'fraud-a'" })).toEqual(['fraud-a/2', 'fraud-a/1'])
    expect(await versionKeys({ filter: `run_id = '${runA}'` })).toEqual(['churn/1', 'fraud-a/1'])
    expect(await versionKeys({ filter: `run_id IN ('${runB}', 'x')` })).toEqual(['fraud-a/2'])
    expect(await versionKeys({ filter: "source_path LIKE '%/churn'" })).toEqual(['churn/1'])
    expect(await versionKeys({ filter: "name = 'fraud-a' AND version_number = 1" })).toEqual([
      'fraud-a/1',
    ])
    expect(await versionKeys({ filter: "tags.validated = 'yes'" })).toEqual(['churn/1'])
  })

  it('pages', async () => {
    const first = await t.get('model-versions/search', { max_results: 2 })
    expect(first.body.model_versions).toHaveLength(2)
    const rest = await t.get('model-versions/search', {
      max_results: 2,
      page_token: first.body.next_page_token,
    })
    expect(rest.body.model_versions.map((v: { name: string }) => v.name)).toEqual(['fraud-a'])
    expect(rest.body.next_page_token).toBeUndefined()
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServingEngine } from '../../serving/index.js'
import {
  deployment,
  FakeDeployments,
  fakeModel,
  MemorySink,
  sleep,
} from '../../serving/data-plane/test-support/fakes.js'
import { openTestApp, readJson, type TestApp } from '../test-support/open-test-app.js'
import { createInferenceRoutes } from './inference-routes.js'

let t: TestApp
let engine: ServingEngine
const log = new MemorySink()
let slow = false

beforeAll(async () => {
  engine = new ServingEngine({
    deployments: new FakeDeployments([
      deployment('fares', 1, { model: 'taxi', canary: { version: 2, percent: 50 } }),
      deployment('busy', 7),
    ]),
    load: async (name, version) => {
      const m = fakeModel(name, version)
      if (version === 7) {
        const predict = m.predictRecords.bind(m)
        m.predictRecords = async (records) => {
          if (slow) await sleep(100)
          return predict(records)
        }
      }
      return m
    },
    log,
    maxInFlight: 1,
    requestTimeoutMs: 1_000,
  })
  await engine.sync()
  const routes = createInferenceRoutes({
    engine,
    server: { name: 'ballast', version: '9.9.9' },
    bodyLimitBytes: 10_000,
  })
  t = await openTestApp({ routes })
})
afterAll(async () => {
  await engine.close()
  await t.dispose()
})

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

describe('Open Inference Protocol', () => {
  it('describes the server, its health and readiness', async () => {
    expect(await readJson(await t.app.request('/v2'))).toEqual({
      name: 'ballast',
      version: '9.9.9',
      extensions: [],
    })
    expect(await readJson(await t.app.request('/v2/health/live'))).toEqual({ live: true })
    const ready = await t.app.request('/v2/health/ready')
    expect([ready.status, await readJson(ready)]).toEqual([200, { ready: true }])
  })

  it('gives model metadata under the deployment name, for the deployment and one version', async () => {
    const res = await t.app.request('/v2/models/fares')
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({
      name: 'fares',
      versions: ['1', '2'],
      platform: 'onnxruntime',
      inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 1] }],
      outputs: [{ name: 'prediction', datatype: 'FP32', shape: [-1, 1] }],
      parameters: { model: 'taxi', version: 1, task: 'regression' },
    })
    const v2 = await readJson(await t.app.request('/v2/models/fares/versions/2'))
    expect(v2.parameters).toEqual({ model: 'taxi', version: 2, task: 'regression' })
    const ready = await t.app.request('/v2/models/fares/versions/2/ready')
    expect(await readJson(ready)).toEqual({ name: 'fares', ready: true })
  })

  it('answers 404 with {"error"} for an unknown deployment or version', async () => {
    const unknown = await t.app.request('/v2/models/nope')
    expect([unknown.status, await readJson(unknown)]).toEqual([
      404,
      { error: "no deployment named 'nope' is served here" },
    ])
    const version = await post('/v2/models/fares/versions/5/infer', {
      inputs: [{ name: 'x', datatype: 'FP64', shape: [1, 1], data: [1] }],
    })
    expect([version.status, await readJson(version)]).toEqual([
      404,
      { error: "deployment 'fares' does not serve version 5 (it serves 1, 2)" },
    ])
    const ready = await t.app.request('/v2/models/nope/ready')
    expect(ready.status).toBe(404)
  })

  it('infers with the version asked for, echoing the id and naming the outputs', async () => {
    const res = await post('/v2/models/fares/versions/2/infer', {
      id: 'abc',
      inputs: [{ name: 'x', datatype: 'FP64', shape: [2, 1], data: [[1], [2]] }],
    })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({
      model_name: 'fares',
      model_version: '2',
      id: 'abc',
      parameters: { model: 'taxi' },
      outputs: [{ name: 'prediction', datatype: 'FP32', shape: [2, 1], data: [12, 22] }],
    })
    await sleep(1)
    const rows = log.rows.filter((r) => r.requestId.startsWith('abc-'))
    expect(rows.map((r) => [r.requestId, r.version, r.inputs, r.outputs])).toEqual([
      ['abc-0', 2, '{"x":1}', '{"prediction":12}'],
      ['abc-1', 2, '{"x":2}', '{"prediction":22}'],
    ])
  })

  it('refuses malformed bodies with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [[], 'the request body must be a JSON object'],
      [{}, "'inputs' must be a non-empty array"],
      [{ inputs: [{ name: 'x', datatype: 'FLOAT', shape: [1], data: [1] }] }, 'inputs[0].datatype'],
      [
        { inputs: [{ name: 'x', datatype: 'FP64', shape: [2, 1], data: [1] }] },
        'inputs[0].data holds 1 values; shape [2, 1] holds 2',
      ],
      [{ inputs: [{ datatype: 'FP64', shape: [1], data: [1] }] }, 'inputs[0].name'],
      [{ id: 5, inputs: [{ name: 'x', datatype: 'FP64', shape: [1], data: [1] }] }, "'id'"],
    ]
    for (const [body, message] of cases) {
      const res = await post('/v2/models/fares/infer', body)
      expect(res.status).toBe(400)
      expect((await readJson(res)).error).toContain(message)
    }
    const notJson = await post('/v2/models/fares/infer', '{"inputs": [')
    expect(notJson.status).toBe(400)
    expect((await readJson(notJson)).error).toMatch(/^request body is not valid JSON/)
    const badVersion = await t.app.request('/v2/models/fares/versions/x')
    expect(await readJson(badVersion)).toEqual({
      error: "version must be a positive integer, got 'x'",
    })
    // The model's own check (unknown input) comes back in the same shape.
    const unknownInput = await post('/v2/models/fares/infer', {
      inputs: [{ name: 'y', datatype: 'FP64', shape: [1], data: [1] }],
    })
    expect([unknownInput.status, await readJson(unknownInput)]).toEqual([
      400,
      { error: "missing input 'x'" },
    ])
  })
})

describe('limits and readiness', () => {
  it('refuses a body past server.bodyLimitBytes with 413', async () => {
    const data = Array.from({ length: 3_000 }, () => 1.5)
    const res = await post('/v2/models/fares/infer', {
      inputs: [{ name: 'x', datatype: 'FP64', shape: [3_000, 1], data }],
    })
    expect(res.status).toBe(413)
    expect((await readJson(res)).error).toContain('server.bodyLimitBytes')
  })

  it('is not ready, and answers 503, until the deployments are loaded', async () => {
    const loading = new ServingEngine({
      deployments: new FakeDeployments([deployment('later', 1)]),
      load: async (name, version) => fakeModel(name, version),
    })
    const app = await openTestApp({
      routes: createInferenceRoutes({
        engine: loading,
        server: { name: 'ballast', version: '9.9.9' },
        bodyLimitBytes: 10_000,
      }),
    })
    try {
      const ready = await app.app.request('/v2/health/ready')
      expect([ready.status, await readJson(ready)]).toEqual([503, { ready: false }])
      await loading.sync()
      expect((await app.app.request('/v2/health/ready')).status).toBe(200)
      const model = await app.app.request('/v2/models/later/ready')
      expect(await readJson(model)).toEqual({ name: 'later', ready: true })
    } finally {
      await loading.close()
      await app.dispose()
    }
  })
})

describe('KServe V1', () => {
  it('predicts instances given as records or as arrays in signature order', async () => {
    const res = await post(
      '/v1/models/fares:predict',
      { instances: [{ x: 1 }, [2]] },
      { 'X-Routing-Key': 'customer-1' },
    )
    expect(res.status).toBe(200)
    const { predictions } = await readJson(res)
    // One routing key, one version, for both records.
    expect([
      [11, 21],
      [12, 22],
    ]).toContainEqual(predictions)
  })

  it('answers errors as {"error"}', async () => {
    const res = await post('/v1/models/fares:predict', { instances: [[1, 2]] })
    expect([res.status, await readJson(res)]).toEqual([
      400,
      { error: 'instances[0] has 2 values; the model takes 1 inputs in this order: x' },
    ])
    const badValue = await post('/v1/models/fares:predict', { instances: [{ x: 'many' }] })
    expect([badValue.status, await readJson(badValue)]).toEqual([
      400,
      { error: 'instances[0].x: expected a number, got "many"' },
    ])
    const unknown = await post('/v1/models/nope:predict', { instances: [{ x: 1 }] })
    expect(unknown.status).toBe(404)
  })
})

describe('Ballast records', () => {
  it('answers each record with its request id', async () => {
    const res = await post(
      '/api/v1/deployments/busy/predict',
      { records: [{ x: 1 }, { x: 3 }] },
      { 'X-Request-Id': 'req-42' },
    )
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({
      model: 'm',
      version: 7,
      predictions: [
        { request_id: 'req-42-0', prediction: 17 },
        { request_id: 'req-42-1', prediction: 37 },
      ],
    })
  })

  it('refuses a bad record with 400 naming it', async () => {
    const res = await post('/api/v1/deployments/busy/predict', { records: [{ x: 1 }, 'x'] })
    expect([res.status, await readJson(res)]).toEqual([
      400,
      {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: 'records[1] must be an object (column → value)',
      },
    ])
  })

  it('answers 503 with Retry-After: 1 past serving.maxInFlight', async () => {
    slow = true
    try {
      const first = post('/api/v1/deployments/busy/predict', { records: [{ x: 1 }] })
      await sleep(10)
      const second = await post('/api/v1/deployments/busy/predict', { records: [{ x: 1 }] })
      expect(second.status).toBe(503)
      expect(second.headers.get('retry-after')).toBe('1')
      expect(await readJson(second)).toEqual({
        error_code: 'TEMPORARILY_UNAVAILABLE',
        message: 'too many predictions in flight (serving.maxInFlight = 1); retry shortly',
      })
      const v1 = await post('/v1/models/busy:predict', { instances: [{ x: 1 }] })
      expect(v1.status).toBe(503)
      expect(v1.headers.get('retry-after')).toBe('1')
      expect((await first).status).toBe(200)
    } finally {
      slow = false
    }
  })
})

import { Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import type { ServingEngineOptions } from './engine-options.js'
import { ServingEngine } from './serving-engine.js'
import { ServingMetrics } from './serving-metrics.js'
import {
  deployment,
  FakeDeployments,
  type FakeModel,
  fakeModel,
  MemorySink,
  sleep,
} from './test-support/fakes.js'

const engines: ServingEngine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
})

function setup(
  items = [deployment('d', 1)],
  options: Partial<ServingEngineOptions> & { delayMs?: number; loadDelayMs?: number } = {},
) {
  const deployments = new FakeDeployments(items)
  const models: FakeModel[] = []
  const log = new MemorySink()
  const engine = new ServingEngine({
    deployments,
    log,
    load: async (name, version) => {
      if (options.loadDelayMs) await sleep(options.loadDelayMs)
      const m = fakeModel(name, version, { delayMs: options.delayMs ?? 0 })
      models.push(m)
      return m
    },
    ...options,
  })
  engines.push(engine)
  return { engine, deployments, models, log }
}

/** Deterministic numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('ServingEngine', () => {
  it('is not ready while a change made since the last sync is not served yet', async () => {
    const { engine, deployments } = setup()
    await engine.sync()
    await engine.checkReady()
    deployments.set([deployment('d', 1), deployment('e', 1)])
    await expect(engine.checkReady()).rejects.toThrow(
      'deployments changed (revision 2, serving 1); loading',
    )
    // The failed check started a sync; once it is done the new deployment answers.
    await engine.sync()
    await engine.checkReady()
    expect(engine.deploymentNames().sort()).toEqual(['d', 'e'])
  })

  it('loads and warms every version, then answers and logs each record under <id>-<index>', async () => {
    const { engine, models, log } = setup()
    await expect(engine.checkReady()).rejects.toThrow('deployments not loaded yet')
    await engine.sync()
    await engine.checkReady()
    expect(models.map((m) => [m.version, m.warmed])).toEqual([[1, true]])
    const answer = await engine.predictRecords('d', [{ x: 1 }, { x: 2 }], { requestId: 'r1' })
    expect(answer.model.version).toBe(1)
    expect(answer.result).toEqual([{ prediction: 11 }, { prediction: 21 }])
    await flush()
    expect(log.rows.map((r) => [r.requestId, r.version, r.inputs, r.outputs, r.shadow])).toEqual([
      ['r1-0', 1, '{"x":1}', '{"prediction":11}', false],
      ['r1-1', 1, '{"x":2}', '{"prediction":21}', false],
    ])
  })

  it('answers 404 for an unknown deployment and for a version it does not serve', async () => {
    const { engine } = setup([deployment('d', 1, { canary: { version: 2, percent: 10 } })])
    await engine.sync()
    await expect(
      engine.predictRecords('nope', [{ x: 1 }], { requestId: 'r' }),
    ).rejects.toMatchObject({
      status: 404,
      message: "no deployment named 'nope' is served here",
    })
    await expect(
      engine.predictRecords('d', [{ x: 1 }], { requestId: 'r', version: 3 }),
    ).rejects.toMatchObject({
      status: 404,
      message: "deployment 'd' does not serve version 3 (it serves 1, 2)",
    })
    const pinned = await engine.predictRecords('d', [{ x: 1 }], { requestId: 'r', version: 2 })
    expect(pinned.result).toEqual([{ prediction: 12 }])
  })

  it('switches versions without failing a request, closing the old one after its last request', async () => {
    const { engine, deployments, models } = setup([deployment('d', 1)], {
      delayMs: 15,
      loadDelayMs: 30,
    })
    await engine.sync()
    let stop = false
    const versions: number[] = []
    const failures: unknown[] = []
    const client = async () => {
      while (!stop) {
        try {
          versions.push(
            (await engine.predictRecords('d', [{ x: 0 }], { requestId: 'r' })).model.version,
          )
        } catch (error) {
          failures.push(error)
        }
      }
    }
    const clients = Array.from({ length: 8 }, client)
    await sleep(40)
    deployments.set([deployment('d', 2)])
    const switching = engine.sync()
    // Loading takes 30 ms: version 1 keeps answering meanwhile.
    await sleep(10)
    expect(models.find((m) => m.version === 1)!.closed).toBe(false)
    await switching
    await sleep(60)
    stop = true
    await Promise.all(clients)
    expect(failures).toEqual([])
    expect(versions[0]).toBe(1)
    expect(versions.at(-1)).toBe(2)
    // Every answer from 1 came before every answer from 2: the switch is one swap.
    expect(versions.lastIndexOf(1)).toBeLessThan(versions.indexOf(2))
    expect(models.map((m) => [m.version, m.closed])).toEqual([
      [1, true],
      [2, false],
    ])
  })

  it('keeps answering with the old version and reports not ready while a new one fails to load', async () => {
    let fail = false
    const { engine, deployments } = setup([deployment('d', 1)])
    const ok = engine['opts'].load
    engine['opts'].load = async (name, version) => {
      if (fail) throw new Error('no such file')
      return ok(name, version)
    }
    await engine.sync()
    fail = true
    deployments.set([deployment('d', 2)])
    await engine.sync()
    await expect(engine.checkReady()).rejects.toThrow(
      'model m version 2 did not load: no such file',
    )
    expect((await engine.predictRecords('d', [{ x: 1 }], { requestId: 'r' })).model.version).toBe(1)
    // Retried on the next sync although the revision did not change.
    fail = false
    await engine.sync()
    await engine.checkReady()
    expect((await engine.predictRecords('d', [{ x: 1 }], { requestId: 'r' })).model.version).toBe(2)
  })

  it('splits traffic to the canary by weight, and by a stable hash of the routing key', async () => {
    const { engine } = setup([deployment('d', 1, { canary: { version: 2, percent: 20 } })], {
      random: seeded(7),
    })
    await engine.sync()
    let canary = 0
    for (let i = 0; i < 20_000; i++) if (engine.route('d').model.version === 2) canary += 1
    expect(canary / 20_000).toBeCloseTo(0.2, 1)
    expect(Math.abs(canary / 20_000 - 0.2)).toBeLessThan(0.01)

    let keyed = 0
    for (let i = 0; i < 20_000; i++) {
      const version = engine.route('d', `user-${i}`).model.version
      if (version === 2) keyed += 1
      // The same key always gets the same version.
      for (let j = 0; j < 3; j++) expect(engine.route('d', `user-${i}`).model.version).toBe(version)
    }
    expect(Math.abs(keyed / 20_000 - 0.2)).toBeLessThan(0.015)
  })

  it('mirrors to the shadow after answering; its answer is only logged, with shadow=true', async () => {
    const { engine, log } = setup([deployment('d', 1, { shadow: { version: 3 } })])
    await engine.sync()
    const answer = await engine.predictRecords('d', [{ x: 2 }], { requestId: 'r9' })
    expect(answer.result).toEqual([{ prediction: 21 }])
    await sleep(5)
    const rows = log.rows.map((r) => [r.requestId, r.version, r.outputs, r.shadow]).sort()
    expect(rows).toEqual([
      ['r9-0', 1, '{"prediction":21}', false],
      ['r9-0', 3, '{"prediction":23}', true],
    ])
  })

  it('a failing shadow never fails the request', async () => {
    const { engine, models } = setup([deployment('d', 1, { shadow: { version: 3 } })])
    await engine.sync()
    models.find((m) => m.version === 3)!.predictRecords = async () => {
      throw new Error('shadow broke')
    }
    const answer = await engine.predictRecords('d', [{ x: 2 }], { requestId: 'r' })
    expect(answer.result).toEqual([{ prediction: 21 }])
  })

  it('refuses with a retryable 503 past serving.maxInFlight', async () => {
    const { engine } = setup([deployment('d', 1)], { delayMs: 40, maxInFlight: 2 })
    await engine.sync()
    const running = [1, 2].map(() => engine.predictRecords('d', [{ x: 1 }], { requestId: 'r' }))
    await expect(engine.predictRecords('d', [{ x: 1 }], { requestId: 'r' })).rejects.toMatchObject({
      status: 503,
      retryAfterSeconds: 1,
      message: 'too many predictions in flight (serving.maxInFlight = 2); retry shortly',
    })
    await Promise.all(running)
    await engine.predictRecords('d', [{ x: 1 }], { requestId: 'r' })
  })

  it('gives up on a prediction after serving.requestTimeoutMs', async () => {
    const { engine } = setup([deployment('d', 1)], { delayMs: 200, requestTimeoutMs: 20 })
    await engine.sync()
    await expect(engine.predictRecords('d', [{ x: 1 }], { requestId: 'r' })).rejects.toMatchObject({
      status: 503,
      message: 'the prediction did not finish within 20 ms (serving.requestTimeoutMs)',
    })
    // Still counted until the model really finishes.
    expect(engine.inFlight).toBe(1)
  })

  it('serves only the deployments the filter accepts', async () => {
    const { engine, models } = setup([deployment('a', 1), deployment('b', 2)], {
      filter: (name) => name === 'b',
    })
    await engine.sync()
    expect(engine.deploymentNames()).toEqual(['b'])
    expect(models.map((m) => m.version)).toEqual([2])
  })

  it('counts requests, errors and the predicted values per deployment and version', async () => {
    const registry = new Registry()
    const { engine } = setup([deployment('d', 1)], { metrics: new ServingMetrics(registry) })
    await engine.sync()
    await engine.predictRecords('d', [{ x: 1 }, { x: 50 }], { requestId: 'r' })
    await expect(engine.predictRecords('d', [{ x: 'a' }], { requestId: 'r' })).rejects.toThrow(
      'records[0].x: expected a number, got "a"',
    )
    const text = await registry.metrics()
    expect(text).toContain('ballast_serving_requests_total{deployment="d",model="m",version="1"} 2')
    expect(text).toContain('ballast_serving_errors_total{deployment="d",model="m",version="1"} 1')
    expect(text).toContain(
      'ballast_serving_prediction_value_bucket{le="10",deployment="d",model="m",version="1"} 0',
    )
    expect(text).toContain(
      'ballast_serving_prediction_value_bucket{le="100",deployment="d",model="m",version="1"} 1',
    )
    expect(text).toContain(
      'ballast_serving_prediction_value_bucket{le="1000",deployment="d",model="m",version="1"} 2',
    )
  })

  it('reports the predictions in flight when scraped', async () => {
    const registry = new Registry()
    const { engine } = setup([deployment('d', 1)], {
      metrics: new ServingMetrics(registry),
      delayMs: 30,
    })
    await engine.sync()
    const running = [
      engine.predictRecords('d', [{ x: 1 }], { requestId: 'r1' }),
      engine.predictRecords('d', [{ x: 2 }], { requestId: 'r2' }),
    ]
    await sleep(1)
    expect(await registry.metrics()).toContain('\nballast_serving_in_flight 2\n')
    await Promise.all(running)
    expect(await registry.metrics()).toContain('\nballast_serving_in_flight 0\n')
  })

  it('close waits for running predictions, then closes every model', async () => {
    const { engine, models } = setup([deployment('d', 1)], { delayMs: 30 })
    await engine.sync()
    const running = engine.predictRecords('d', [{ x: 1 }], { requestId: 'r' })
    await sleep(1)
    await engine.close()
    await expect(running).resolves.toMatchObject({ result: [{ prediction: 11 }] })
    expect(models[0]!.closed).toBe(true)
    await expect(engine.checkReady()).rejects.toThrow('the server is shutting down')
  })
})

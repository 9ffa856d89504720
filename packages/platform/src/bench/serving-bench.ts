/**
 * `npm run bench:serving`: a GBDT classifier (100 trees, depth 6) trained on 200,000 rows of
 * vega-datasets' flights-3m.parquet (delay > 15 minutes from hour, day of week, month, distance,
 * origin and destination), registered and deployed on an in-process server on loopback, then
 * loaded with autocannon: one-record predictions at 64 connections for 10 s, and the same for a
 * no-op route of the same server that reads the same body. Goal: p99 ≤ 10 ms, and at least half
 * the no-op route's requests per second.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { z } from 'zod'
import { loadConfig } from '../config/index.js'
import { DuckEngine, quoteLiteral } from '../data/duckdb/duck-engine.js'
import { defineRoute } from '../http/route.js'
import { HEALTH_ROUTES } from '../http/routes/health-routes.js'
import { startServer } from '../http/server.js'
import { MODEL_ARTIFACT_PATH, packageModel } from '../registry/index.js'
import { openRuntime } from '../runtime/open-runtime.js'
import type { Services } from '../runtime/services.js'
import { signatureOf } from '../runtime/train-job.js'
import { type TabularModel, type TabularTable, trainTabular } from '../training/index.js'
import { createLogger } from '../observability/index.js'
import { fmt } from './bench-stats.js'

const FLIGHTS = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url),
)
const ROWS = 200_000
const CONNECTIONS = 64
const DURATION_S = 10
const FEATURES = ['hour', 'dow', 'month', 'distance', 'origin', 'destination']

async function loadFlights(): Promise<TabularTable> {
  const engine = await DuckEngine.open()
  try {
    const columns = await engine.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(`
        SELECT hour(date)::DOUBLE AS hour, dayofweek(date)::DOUBLE AS dow,
               month(date)::DOUBLE AS month, distance::DOUBLE AS distance, origin, destination,
               CASE WHEN delay > 15 THEN 'late' ELSE 'on_time' END AS delayed
        FROM read_parquet(${quoteLiteral(FLIGHTS)})
        USING SAMPLE reservoir(${ROWS} ROWS) REPEATABLE (42)`)
      return reader.getColumnsJS()
    })
    const number = (i: number) => Float64Array.from(columns[i]!, (v) => Number(v))
    const text = (i: number) => columns[i]!.map((v) => (typeof v === 'string' ? v : null))
    return {
      rowCount: columns[0]!.length,
      columns: [
        { name: 'hour', type: 'integer', values: number(0) },
        { name: 'dow', type: 'integer', values: number(1) },
        { name: 'month', type: 'integer', values: number(2) },
        { name: 'distance', type: 'float', values: number(3) },
        { name: 'origin', type: 'string', values: text(4) },
        { name: 'destination', type: 'string', values: text(5) },
        { name: 'delayed', type: 'string', values: text(6) },
      ],
    }
  } finally {
    engine.close()
  }
}

async function register(services: Services, name: string, model: TabularModel): Promise<number> {
  const run = await services.tracking.runs.create({ experimentId: '0' }, 'bench')
  const runId = run.info.run_id
  const files = packageModel({
    onnx: model.onnx,
    signature: signatureOf(model),
    inputExample: model.inputExample,
    runId,
    task: model.task,
    classes: model.classes,
    target: model.target,
    algo: model.algo,
  })
  for (const file of files) {
    await services.tracking.artifacts.upload(
      `0/${runId}/artifacts/${MODEL_ARTIFACT_PATH}/${file.path}`,
      file.bytes,
    )
  }
  await services.registry.models.create({ name }, 'bench')
  const version = await services.registry.versions.create(
    { name, source: `runs:/${runId}/${MODEL_ARTIFACT_PATH}`, runId },
    'bench',
  )
  return Number(version.version)
}

interface Load {
  p50: number
  p99: number
  rps: number
  errors: number
  non2xx: number
}

async function measure(url: string, body: string): Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    // In a worker thread: on the server's thread, the load generator would take its CPU.
    workers: 1,
    headers: { 'content-type': 'application/json' },
    body,
  })
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

/** Reads and parses the body as the prediction route does, and answers at once. */
const NOOP_ROUTE = defineRoute({
  method: 'POST',
  path: '/bench/noop',
  permission: 'viewer',
  body: z.unknown(),
  fastBody: (raw) => raw,
  handler: async () => ({ ok: true }),
})

async function main(): Promise<void> {
  const home = mkdtempSync(path.join(tmpdir(), 'ballast-serving-bench-'))
  try {
    let started = performance.now()
    const table = await loadFlights()
    console.log(`read ${table.rowCount} flights in ${fmt((performance.now() - started) / 1000)} s`)
    started = performance.now()
    const model = await trainTabular(table, {
      target: 'delayed',
      task: 'classification',
      algo: 'gbdt',
      features: FEATURES,
      params: { numTrees: '100', maxDepth: '6' },
    })
    console.log(
      `trained GBDT (100 trees, depth 6) in ${fmt((performance.now() - started) / 1000)} s; ` +
        `test metrics ${JSON.stringify(model.metrics)}`,
    )

    const config = loadConfig({
      flags: { home, 'log.level': 'warn', 'serving.maxInFlight': 1024 },
      env: {},
      cwd: home,
    })
    const runtime = await openRuntime(config, { logger: createLogger({ level: 'warn' }) })
    const version = await register(runtime.services, 'flights', model)
    await runtime.services.serving.deployments.create(
      { name: 'flights', model: `flights/${version}` },
      'bench',
    )
    const server = await startServer(runtime, {
      host: '127.0.0.1',
      port: 0,
      routes: [...HEALTH_ROUTES, NOOP_ROUTE],
    })
    try {
      await server.dataPlane!.started
      await server.dataPlane!.engine.checkReady()
      const record = model.inputExample[0]!
      const body = JSON.stringify({ records: [record] })
      const check = await fetch(`${server.url}/api/v1/deployments/flights/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      console.log(`one prediction: ${check.status} ${await check.text()}`)

      // A short warm-up so that both runs meet a hot process.
      await autocannon({ url: `${server.url}/bench/noop`, method: 'POST', body, duration: 2 })
      const predict = await measure(`${server.url}/api/v1/deployments/flights/predict`, body)
      const noop = await measure(`${server.url}/bench/noop`, body)
      const row = (name: string, l: Load) =>
        `${name.padEnd(10)} p50 ${fmt(l.p50).padStart(6)} ms   p99 ${fmt(l.p99).padStart(6)} ms   ` +
        `${fmt(l.rps).padStart(8)} req/s   errors ${l.errors}   non-2xx ${l.non2xx}`
      console.log(
        `\n${CONNECTIONS} connections, ${DURATION_S} s each, one record per request (${body.length} bytes)`,
      )
      console.log(row('predict', predict))
      console.log(row('no-op', noop))
      const ratio = predict.rps / noop.rps
      console.log(
        `throughput ratio predict / no-op: ${fmt(ratio * 100)} % (goal ≥ 50 %); ` +
          `p99 ${fmt(predict.p99)} ms (goal ≤ 10 ms)`,
      )
    } finally {
      await server.close()
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

await main()

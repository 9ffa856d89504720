/**
 * `npm run bench:serving`: a GBDT classifier (100 trees, depth 6) trained on 200,000 rows of
 * vega-datasets' flights-3m.parquet (delay > 15 minutes from hour, day of week, month, distance,
 * origin and destination), registered and deployed on an in-process server on loopback, then
 * loaded with autocannon (its CLI, in a child process): one-record predictions at 64 connections
 * for 10 s, and the same for a no-op route of the same server that reads the same body, alternating
 * for `--rounds N` rounds (3 by default; medians reported). Each run also prints the server's
 * event-loop delay, its garbage-collection pauses and its CPU time per request, which are steadier
 * than latency on a shared machine. Goal: p99 ≤ 10 ms, and at least half the no-op route's
 * requests per second.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks'
import { z } from 'zod'
import { loadConfig } from '../config/index.js'
import { DuckEngine, quoteLiteral } from '../data/duckdb/duck-engine.js'
import { defineRoute } from '../http/route.js'
import { HEALTH_ROUTES } from '../http/routes/health-routes.js'
import { startServer } from '../http/server.js'
import { MODEL_ARTIFACT_PATH } from '../registry/index.js'
import { openRuntime } from '../runtime/open-runtime.js'
import type { Services } from '../runtime/services.js'
import { uploadModelPackage } from '../runtime/train-job.js'
import { type TabularModel, type TabularTable, trainTabular } from '../training/index.js'
import { createLogger } from '../observability/index.js'
import { fmt, median } from './bench-stats.js'

const FLIGHTS = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url),
)
const ROWS = 200_000
const CONNECTIONS = 64
const DURATION_S = 10
const DEFAULT_ROUNDS = 3
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
  await uploadModelPackage(services, '0', runId, model)
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
  /** The server's event-loop delay during the run (ms): what a request waits before it is read. */
  loopP99: number
  loopMax: number
  /** Garbage-collection pauses of the server's main thread during the run (ms). */
  gcTotal: number
  gcMax: number
  /** The server process's CPU time (every thread) per answered request, in microseconds. */
  cpuUsPerRequest: number
}

const AUTOCANNON_CLI = createRequire(import.meta.url).resolve('autocannon')

interface AutocannonJson {
  latency: { p50: number; p99: number }
  requests: { average: number; total: number }
  errors: number
  timeouts: number
  non2xx: number
}

/** Runs autocannon's CLI in a child process and returns its JSON summary. */
function autocannonChild(args: readonly string[]): Promise<AutocannonJson> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUTOCANNON_CLI, '--json', '--no-progress', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => (out += chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`autocannon exited with code ${code}`))
      else resolve(JSON.parse(out) as AutocannonJson)
    })
  })
}

function loadArgs(url: string, body: string, connections: number, seconds: number): string[] {
  return [
    ...['-c', String(connections), '-d', String(seconds), '-m', 'POST'],
    ...['-H', 'content-type=application/json', '-b', body, url],
  ]
}

async function measure(url: string, body: string): Promise<Load> {
  // In another process: on the server's thread (or in a worker of its process) the load generator
  // would share its event loop, heap limits or GC with the server under test.
  const loop = monitorEventLoopDelay({ resolution: 1 })
  const gc = { total: 0, max: 0 }
  const gcObserver = new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      gc.total += entry.duration
      gc.max = Math.max(gc.max, entry.duration)
    }
  })
  gcObserver.observe({ entryTypes: ['gc'] })
  loop.enable()
  const cpu = process.cpuUsage()
  const result = await autocannonChild(loadArgs(url, body, CONNECTIONS, DURATION_S))
  const used = process.cpuUsage(cpu)
  loop.disable()
  gcObserver.disconnect()
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    gcTotal: gc.total,
    gcMax: gc.max,
    cpuUsPerRequest: (used.user + used.system) / Math.max(1, result.requests.total),
  }
}

function roundsArg(argv: readonly string[]): number {
  const i = argv.indexOf('--rounds')
  const n = i < 0 ? DEFAULT_ROUNDS : Number(argv[i + 1])
  if (!Number.isInteger(n) || n < 1) throw new Error('--rounds: expected a positive integer')
  return n
}

const row = (name: string, l: Load) =>
  `${name.padEnd(10)} p50 ${fmt(l.p50).padStart(6)} ms   p99 ${fmt(l.p99).padStart(6)} ms   ` +
  `${fmt(l.rps).padStart(8)} req/s   loop p99 ${fmt(l.loopP99).padStart(5)} ms ` +
  `max ${fmt(l.loopMax).padStart(6)} ms   gc ${fmt(l.gcTotal, 0).padStart(4)} ms max ` +
  `${fmt(l.gcMax).padStart(5)} ms   cpu ${fmt(l.cpuUsPerRequest, 0).padStart(4)} µs/req   errors ${l.errors}   non-2xx ${l.non2xx}`

function medianLoad(loads: readonly Load[]): Load {
  const m = (f: (l: Load) => number) => median(loads.map(f))
  return {
    p50: m((l) => l.p50),
    p99: m((l) => l.p99),
    rps: m((l) => l.rps),
    errors: loads.reduce((a, l) => a + l.errors, 0),
    non2xx: loads.reduce((a, l) => a + l.non2xx, 0),
    loopP99: m((l) => l.loopP99),
    loopMax: m((l) => l.loopMax),
    gcTotal: m((l) => l.gcTotal),
    gcMax: m((l) => l.gcMax),
    cpuUsPerRequest: m((l) => l.cpuUsPerRequest),
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
      await autocannonChild(loadArgs(`${server.url}/bench/noop`, body, 10, 2))
      const predictUrl = `${server.url}/api/v1/deployments/flights/predict`
      const rounds = roundsArg(process.argv)
      console.log(
        `\n${CONNECTIONS} connections, ${DURATION_S} s each, one record per request (${body.length} bytes), ` +
          `${rounds} round(s), load generator in a child process`,
      )
      const predicts: Load[] = []
      const noops: Load[] = []
      // Alternating the routes spreads the noise of a shared machine over both.
      for (let round = 1; round <= rounds; round++) {
        const predict = await measure(predictUrl, body)
        const noop = await measure(`${server.url}/bench/noop`, body)
        predicts.push(predict)
        noops.push(noop)
        console.log(`round ${round}\n  ${row('predict', predict)}\n  ${row('no-op', noop)}`)
      }
      const predict = medianLoad(predicts)
      const noop = medianLoad(noops)
      console.log(`median of ${rounds}`)
      console.log(`  ${row('predict', predict)}`)
      console.log(`  ${row('no-op', noop)}`)
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

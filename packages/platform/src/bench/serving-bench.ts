/**
 * `npm run bench:serving`: a GBDT classifier (100 trees, depth 6) trained on 200,000 rows of
 * vega-datasets' flights-3m.parquet (delay > 15 minutes from hour, day of week, month, distance,
 * origin and destination), registered and deployed on an in-process server on loopback, then
 * loaded by wrk when it is installed (else autocannon; `--generator` chooses) in a child process:
 * one-record predictions at 64 connections for 10 s, then the same for a no-op route of the same
 * server that reads the same body, for `ballast serve --workers <cores>` on the same home, and for
 * Node's bare HTTP server answering a constant (what any Node.js server pays per request here),
 * alternating for `--rounds N` rounds (3 by default; medians reported). Each run also prints the
 * in-process server's event-loop delay, its garbage-collection pauses and its CPU time per
 * request, which are steadier than latency on a shared machine. Goal: p99 ≤ 10 ms, and at least
 * half the no-op route's requests per second.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
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
import { type LoadGenerator, autocannon, wrk, wrkAvailable } from './load-generator.js'
import { startBareNode, startServeWorkers } from './reference-servers.js'

const FLIGHTS = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url),
)
const ROWS = 200_000
const CONNECTIONS = 64
const DURATION_S = 10
const DEFAULT_ROUNDS = 3
const WRK_THREADS = 1
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

async function measure(generator: LoadGenerator, url: string, body: string): Promise<Load> {
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
  const result = await generator.run({ url, body, connections: CONNECTIONS, seconds: DURATION_S })
  const used = process.cpuUsage(cpu)
  loop.disable()
  gcObserver.disconnect()
  return {
    p50: result.p50,
    p99: result.p99,
    rps: result.rps,
    errors: result.errors,
    non2xx: result.non2xx,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    gcTotal: gc.total,
    gcMax: gc.max,
    cpuUsPerRequest: (used.user + used.system) / Math.max(1, result.total),
  }
}

function roundsArg(argv: readonly string[]): number {
  const i = argv.indexOf('--rounds')
  const n = i < 0 ? DEFAULT_ROUNDS : Number(argv[i + 1])
  if (!Number.isInteger(n) || n < 1) throw new Error('--rounds: expected a positive integer')
  return n
}

/** `--generator wrk|autocannon`; wrk when it is installed, as it leaves the server more CPU. */
function generatorArg(argv: readonly string[]): LoadGenerator {
  const i = argv.indexOf('--generator')
  const name = i < 0 ? (wrkAvailable() ? 'wrk' : 'autocannon') : argv[i + 1]
  if (name === 'autocannon') return autocannon
  if (name !== 'wrk') throw new Error(`--generator: expected wrk or autocannon, got '${name}'`)
  if (!wrkAvailable())
    throw new Error('--generator wrk: wrk is not installed (apt-get install wrk)')
  return wrk(WRK_THREADS)
}

const row = (name: string, l: Load) =>
  `${name.padEnd(11)} p50 ${fmt(l.p50).padStart(6)} ms   p99 ${fmt(l.p99).padStart(6)} ms   ` +
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
      const generator = generatorArg(process.argv)
      await generator.run({ url: `${server.url}/bench/noop`, body, connections: 10, seconds: 2 })
      const predictUrl = `${server.url}/api/v1/deployments/flights/predict`
      const rounds = roundsArg(process.argv)
      console.log(
        `\n${CONNECTIONS} connections, ${DURATION_S} s each, one record per request (${body.length} bytes), ` +
          `${rounds} round(s), load generator ${generator.name} in a child process`,
      )
      const workers = availableParallelism()
      const replicas = await startServeWorkers(home, 'flights', workers)
      const bare = await startBareNode()
      const targets = [
        { name: 'predict', url: predictUrl },
        { name: 'no-op', url: `${server.url}/bench/noop` },
        { name: `serve x${workers}`, url: `${replicas.url}/api/v1/deployments/flights/predict` },
        { name: 'bare node', url: bare.url },
      ]
      const loads = targets.map(() => [] as Load[])
      try {
        // Alternating the targets spreads the noise of a shared machine over all of them.
        for (let round = 1; round <= rounds; round++) {
          console.log(`round ${round}`)
          for (const [i, target] of targets.entries()) {
            const load = await measure(generator, target.url, body)
            loads[i]!.push(load)
            console.log(`  ${row(target.name, load)}`)
          }
        }
      } finally {
        await replicas.stop()
        await bare.stop()
      }
      const [predict, noop, serve, floor] = loads.map(medianLoad) as [Load, Load, Load, Load]
      console.log(`median of ${rounds}`)
      for (const [i, target] of targets.entries())
        console.log(`  ${row(target.name, medianLoad(loads[i]!))}`)
      console.log(
        `(cpu, loop and gc columns are this process's: they mean nothing for serve x${workers} and bare node)`,
      )
      const ratio = predict.rps / noop.rps
      console.log(
        `throughput ratio predict / no-op: ${fmt(ratio * 100)} % (goal ≥ 50 %); ` +
          `p99 ${fmt(predict.p99)} ms, ${fmt(serve.p99)} ms on serve x${workers} (goal ≤ 10 ms); ` +
          `node:http alone, answering a constant: p99 ${fmt(floor.p99)} ms at ${fmt(floor.rps, 0)} req/s`,
      )
    } finally {
      await server.close()
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

await main()

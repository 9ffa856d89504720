/**
 * `npm run bench:tracking`: the tracking API's speed on the embedded default (SQLite), with a
 * reference measured in the same run where the goal is a ratio. Prints medians; the machine is
 * shared, so read ratios rather than absolute figures.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Ballast } from '@ballast/sdk'
import type Database from 'better-sqlite3'
import { loadConfig } from '../config/index.js'
import { startServer } from '../http/server.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { SqliteMetadataStore } from '../storage/index.js'
import { fmt, median, percentile, report, timeMs } from './bench-stats.js'

const execFileAsync = promisify(execFile)
const WRITERS = 8
const POINTS_PER_WRITER = 50_000
const SEARCH_RUNS = 100_000

async function main(): Promise<void> {
  const home = mkdtempSync(path.join(tmpdir(), 'ballast-bench-tracking-'))
  const config = loadConfig({ env: { BALLAST_LOG_LEVEL: 'silent' }, flags: { home }, cwd: home })
  const runtime = await openRuntime(config)
  const server = await startServer(runtime, { host: '127.0.0.1', port: 0 })
  const ballast = new Ballast({ url: server.url })
  console.log(`Ballast tracking benchmark — SQLite at ${home}, server ${server.url}\n`)
  try {
    await benchLogBatch(ballast)
    await benchSustainedIngestion(server.url, home)
    await benchSearch(ballast, runtime.store)
  } finally {
    await server.close()
    rmSync(home, { recursive: true, force: true })
  }
}

async function benchLogBatch(ballast: Ballast): Promise<void> {
  const run = await ballast.startRun({ experiment: 'bench-log-batch' })
  let step = 0
  const samples: number[] = []
  for (let i = 0; i < 65; i++) {
    const now = Date.now()
    const metrics = Array.from({ length: 1000 }, (_, j) => ({
      key: `metric_${j % 10}`,
      value: Math.random(),
      timestamp: now,
      step: step + Math.floor(j / 10),
    }))
    step += 100
    const ms = await timeMs(() =>
      ballast.request('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: run.id, metrics }),
    )
    if (i >= 5) samples.push(ms)
  }
  const med = median(samples)
  report(
    'log-batch, 1000 metric points over HTTP (median)',
    `${fmt(med, 2)} ms`,
    '≤ 20 ms',
    med <= 20,
  )
  console.log(`      p95 ${fmt(percentile(samples, 95), 2)} ms over ${samples.length} batches\n`)
}

async function benchSustainedIngestion(url: string, home: string): Promise<void> {
  const total = WRITERS * POINTS_PER_WRITER
  // The writers run in a process of their own, as training scripts do.
  const writer = fileURLToPath(new URL('./ingest-writers.js', import.meta.url))
  const { stdout } = await execFileAsync(process.execPath, [
    writer,
    url,
    String(WRITERS),
    String(POINTS_PER_WRITER),
  ])
  const sdkMs = (JSON.parse(stdout) as { ms: number }).ms
  const sdkRate = total / (sdkMs / 1000)

  // The limit: the same rows inserted straight into SQLite (same schema, pragmas and batch size).
  const reference = new SqliteMetadataStore(path.join(home, 'reference.db'))
  await reference.migrate()
  const db: Database.Database = reference.connection
  db.prepare(
    `insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri)
     values (?, 0, 'r', 'u', 'RUNNING', 0, 'active', '')`,
  ).run('r'.repeat(32))
  const insert = db.prepare(
    'insert into metrics (run_uuid, key, value, timestamp, step, is_nan) values (?, ?, ?, ?, ?, 0) on conflict do nothing',
  )
  const insertBatch = db.transaction((w: number, from: number, now: number) => {
    for (let i = from; i < from + 1000; i++)
      insert.run(
        `${w}`.padStart(32, '0'),
        `m${i % 20}`,
        w + i / POINTS_PER_WRITER,
        now,
        Math.floor(i / 20),
      )
  })
  const rawMs = await timeMs(async () => {
    const now = Date.now()
    for (let w = 0; w < WRITERS; w++)
      for (let from = 0; from < POINTS_PER_WRITER; from += 1000) insertBatch(w, from, now)
  })
  await reference.close()
  const rawRate = total / (rawMs / 1000)
  const ratio = sdkRate / rawRate

  report(
    `SDK ingestion, ${WRITERS} concurrent runs, ${total.toLocaleString('en-US')} points`,
    `${fmt(sdkRate, 0)} pts/s`,
    '≥ 100,000 pts/s',
    sdkRate >= 100_000,
  )
  report(
    'same rows straight into SQLite (reference, 1000-row transactions)',
    `${fmt(rawRate, 0)} pts/s`,
    '—',
    true,
  )
  report('ratio SDK / straight SQLite', fmt(ratio, 2), '≥ 0.5', ratio >= 0.5)
  console.log('')
}

async function benchSearch(ballast: Ballast, store: { description: string }): Promise<void> {
  const experiment = await ballast.experiment('bench-search')
  const sqlite = store as unknown as SqliteMetadataStore
  const db = sqlite.connection
  const insertRun = db.prepare(
    `insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
     values (?, ?, ?, 'bench', 'FINISHED', ?, ?, 'active', ?)`,
  )
  const insertLatest = db.prepare(
    'insert into latest_metrics (run_uuid, key, value, timestamp, step, is_nan) values (?, ?, ?, ?, 0, 0)',
  )
  const insertParam = db.prepare('insert into params (run_uuid, key, value) values (?, ?, ?)')
  const insertTag = db.prepare('insert into tags (run_uuid, key, value) values (?, ?, ?)')
  // A fixed pseudo-random sequence, so every run of the benchmark searches the same data.
  let seed = 42
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  db.transaction(() => {
    const t0 = 1_700_000_000_000
    for (let i = 0; i < SEARCH_RUNS; i++) {
      const id = i.toString(16).padStart(32, '0')
      insertRun.run(
        id,
        Number(experiment.id),
        `run-${i}`,
        t0 + i,
        t0 + i + 1000,
        `mlflow-artifacts:/${experiment.id}/${id}/artifacts`,
      )
      insertLatest.run(id, 'accuracy', random(), t0 + i)
      insertLatest.run(id, 'loss', random(), t0 + i)
      insertParam.run(id, 'model', i % 3 === 0 ? 'gbdt' : 'logistic')
      insertTag.run(id, 'mlflow.runName', `run-${i}`)
    }
  })()
  db.exec('analyze')

  const cases: Array<{ label: string; body: Record<string, unknown> }> = [
    {
      label: "filter metrics.accuracy > 0.9 AND params.model = 'gbdt', order by metric",
      body: {
        filter: "metrics.accuracy > 0.9 AND params.model = 'gbdt'",
        order_by: ['metrics.accuracy DESC'],
      },
    },
    {
      label: 'filter metrics.loss < 0.05, order by metrics.loss ASC',
      body: { filter: 'metrics.loss < 0.05', order_by: ['metrics.loss ASC'] },
    },
    { label: 'no filter, default order (start_time DESC)', body: {} },
  ]
  for (const { label, body } of cases) {
    const samples: number[] = []
    let count = 0
    for (let i = 0; i < 25; i++) {
      const ms = await timeMs(async () => {
        const result = await ballast.request<{ runs?: unknown[] }>(
          'POST',
          '/api/2.0/mlflow/runs/search',
          {
            experiment_ids: [experiment.id],
            max_results: 100,
            ...body,
          },
        )
        count = result.runs?.length ?? 0
      })
      if (i >= 3) samples.push(ms)
    }
    const med = median(samples)
    report(
      `runs/search over ${SEARCH_RUNS.toLocaleString('en-US')} runs (median)`,
      `${fmt(med, 1)} ms`,
      '≤ 100 ms',
      med <= 100,
    )
    console.log(`      ${label}; ${count} runs returned, p95 ${fmt(percentile(samples, 95), 1)} ms`)
  }
}

await main()

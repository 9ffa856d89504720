import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../data/test-support/open-test-data.js'
import { applicants, seeded } from '../monitoring/monitors/test-support/monitored-deployment.js'
import { createLogger } from '../observability/logger.js'
import {
  PIPELINE_STEP_JOB,
  PipelineEngine,
  type PipelineRun,
  parsePipelineYaml,
} from '../orchestration/index.js'
import { runPipelineStepJob } from './pipeline-step-job.js'
import type { Services } from './services.js'
import { STEP_CATALOG } from './steps/index.js'
import { Worker } from './worker.js'

const silent = createLogger({ level: 'silent' })
const manual = { kind: 'manual' as const, detail: 'alice', values: {} }
/** The server the worker runs in, as a command step is told it. */
const SERVER_URL = 'http://127.0.0.1:5999'

let t: TestData
let services: Services
let engine: PipelineEngine
let worker: Worker

beforeEach(async () => {
  t = await openTestData()
  // Retries wait 20 ms, 40 ms… here instead of 2 s, 4 s…: the backoff rule itself is checked
  // in the coordinator's tests.
  engine = new PipelineEngine({ store: t.store, jobs: t.services.jobs, backoffMs: 20 })
  services = { ...t.services, orchestration: { ...t.services.orchestration, pipelines: engine } }
  worker = new Worker({
    queue: services.jobs,
    services,
    handlers: { [PIPELINE_STEP_JOB]: runPipelineStepJob },
    logger: silent,
    pollMs: 10,
    trackingUri: SERVER_URL,
  })
  await worker.start()
})

afterEach(async () => {
  await worker.stop()
  await t.dispose()
})

async function finished(id: string): Promise<PipelineRun> {
  for (let i = 0; i < 3000; i++) {
    const run = await engine.run(id)
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`run ${id} did not finish`)
}

function writeLoans(): void {
  const { rows, labels } = applicants(600, seeded(11))
  const lines = rows.map((r, i) => `${r.income},${r.age},${r.region},${labels[i]}`)
  t.file('loans.csv', ['income,age,region,default', ...lines, ''].join('\n'))
  t.file(
    'suite.json',
    JSON.stringify({
      name: 'loans',
      expectations: [
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'income' } },
        {
          expectation_type: 'expect_column_values_to_be_in_set',
          kwargs: { column: 'default', value_set: [0, 1] },
        },
      ],
    }),
  )
  // Writes the model it was told about, so the test sees the reference resolved.
  t.file(
    'notify.mjs',
    "import { writeFileSync } from 'node:fs'\nconst { MLFLOW_RUN_ID, MLFLOW_TRACKING_URI } = process.env\nwriteFileSync('notified.txt', `${process.argv[2]} ${MLFLOW_RUN_ID} ${MLFLOW_TRACKING_URI}`)\n",
  )
}

const LOANS_YAML = `name: loans-retrain
params: { trees: 5 }
steps:
  - name: data
    kind: ingest
    with: { file: loans.csv, dataset: loans }
  - name: check
    kind: validate
    with: { dataset: "\${{ steps.data.outputs.dataset }}", suite: suite.json }
  - name: train
    kind: train
    needs: [check]
    with:
      dataset: "\${{ steps.data.outputs.dataset }}"
      target: default
      task: classification
      algo: gbdt
      params: { numTrees: "\${{ params.trees }}" }
      register: loans
  - name: tell
    kind: command
    with:
      run: ["${process.execPath}", notify.mjs, "\${{ steps.train.outputs.model }}"]
      cwd: .
      code: [notify.mjs]
`

describe('pipeline runs', () => {
  it('runs ingest → validate → train → command, each step a tracked run', async () => {
    writeLoans()
    const spec = parsePipelineYaml(LOANS_YAML, 'loans.yaml', {
      steps: STEP_CATALOG,
      baseDir: t.dir,
    })
    await engine.apply(spec, 'alice')
    const run = await finished(
      (await engine.start('loans-retrain', { trigger: manual, actor: 'alice' })).id,
    )

    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      ['data', 'succeeded', 1],
      ['check', 'succeeded', 1],
      ['train', 'succeeded', 1],
      ['tell', 'succeeded', 1],
    ])
    const [data, check, train, tell] = run.steps
    expect(data!.outputs).toMatchObject({ dataset: 'loans@1', rows: 600 })
    expect(check!.outputs).toEqual({ passed: true, failed_expectations: 0 })
    expect(train!.outputs).toMatchObject({ model: 'loans/1', dataset: 'loans@1' })
    expect(train!.outputs!.test_roc_auc).toBeGreaterThan(0.6)
    expect(tell!.outputs).toEqual({ exit_code: 0 })
    expect(readFileSync(path.join(t.dir, 'notified.txt'), 'utf8')).toBe(
      `loans/1 ${tell!.trackingRunId} ${process.env.MLFLOW_TRACKING_URI ?? SERVER_URL}`,
    )

    const ids = run.steps.map((s) => s.trackingRunId)
    expect(new Set(ids).size).toBe(4)
    const tracked = await services.tracking.runs.get(data!.trackingRunId!)
    const tags = Object.fromEntries((tracked.data.tags ?? []).map((x) => [x.key, x.value]))
    expect(tags['ballast.pipeline']).toBe('loans-retrain')
    expect(tags['ballast.pipeline_run']).toBe(run.id)
    expect(tags['ballast.step']).toBe('data')
    const params = Object.fromEntries((tracked.data.params ?? []).map((x) => [x.key, x.value]))
    expect(params['output.dataset']).toBe('loans@1')
    expect(params.file).toBe(path.join(t.dir, 'loans.csv'))
    const trained = await services.tracking.runs.get(train!.outputs!.run_id as string)
    const trainParams = Object.fromEntries((trained.data.params ?? []).map((x) => [x.key, x.value]))
    expect(trainParams.numTrees).toBe('5')

    // Nothing changed: every step comes from the cache, nothing is trained or registered again.
    const again = await finished(
      (await engine.start('loans-retrain', { trigger: manual, actor: 'alice' })).id,
    )
    expect(again.status).toBe('succeeded')
    expect(again.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached', 'cached'])
    expect(again.steps[2]!.outputs).toEqual(train!.outputs)
    const versions = await services.registry.versions.search({ filter: "name = 'loans'" })
    expect(versions.model_versions?.length ?? 0).toBe(1)
  }, 120_000)

  it('retries a failing step with backoff until it succeeds', async () => {
    // Fails (exit 3) until the marker exists; the second attempt creates it, the third passes.
    t.file(
      'flaky.mjs',
      [
        "import { existsSync, readFileSync, writeFileSync } from 'node:fs'",
        "const n = existsSync('count') ? Number(readFileSync('count', 'utf8')) + 1 : 1",
        "writeFileSync('count', String(n))",
        "if (n === 2) writeFileSync('marker', 'x')",
        "if (!existsSync('marker') || n < 3) { console.error('not yet'); process.exit(3) }",
      ].join('\n'),
    )
    const spec = parsePipelineYaml(
      `name: flaky\nsteps:\n  - name: try\n    kind: command\n    with: { run: ["${process.execPath}", flaky.mjs], cwd: . }\n`,
      'flaky.yaml',
      { steps: STEP_CATALOG, baseDir: t.dir },
    )
    await engine.apply(spec, 'alice')
    const run = await finished(
      (await engine.start('flaky', { trigger: manual, actor: 'alice' })).id,
    )
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3, error: null })
    expect(readFileSync(path.join(t.dir, 'count'), 'utf8')).toBe('3')
    const jobs = await services.jobs.list({ kind: PIPELINE_STEP_JOB, limit: 10 })
    expect(jobs.map((j) => j.status).sort()).toEqual(['failed', 'failed', 'succeeded'])
    expect(existsSync(path.join(t.dir, 'marker'))).toBe(true)
  }, 60_000)

  it('fails the run when the step fails on every attempt', async () => {
    const spec = parsePipelineYaml(
      `name: broken\nsteps:\n  - name: try\n    kind: command\n    retries: 2\n    with: { run: ["${process.execPath}", "-e", "process.exit(4)"] }\n  - name: after\n    kind: command\n    needs: [try]\n    with: { run: ["${process.execPath}", "-e", ""] }\n`,
      'broken.yaml',
      { steps: STEP_CATALOG, baseDir: t.dir },
    )
    await engine.apply(spec, 'alice')
    const run = await finished(
      (await engine.start('broken', { trigger: manual, actor: 'alice' })).id,
    )
    expect(run.status).toBe('failed')
    expect(run.error).toBe(
      `step 'try' failed after 2 attempts: ${process.execPath} exited with code 4`,
    )
    expect(run.steps.map((s) => [s.status, s.attempts])).toEqual([
      ['failed', 2],
      ['skipped', 0],
    ])
  }, 60_000)
})

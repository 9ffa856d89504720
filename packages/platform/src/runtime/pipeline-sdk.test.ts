import { Ballast, definePipeline } from '@ballast/sdk'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../data/test-support/open-test-data.js'
import { createApp } from '../http/app.js'
import { applicants, seeded } from '../monitoring/monitors/test-support/monitored-deployment.js'
import { createLogger } from '../observability/logger.js'
import { PIPELINE_STEP_JOB, PipelineEngine } from '../orchestration/index.js'
import { runPipelineStepJob } from './pipeline-step-job.js'
import type { Services } from './services.js'
import { Worker } from './worker.js'

// A pipeline written in TypeScript with @ballast/sdk goes through the HTTP API, is checked by
// the rules YAML is checked by, and runs on the queue like any other.

let t: TestData
let worker: Worker
let ballast: Ballast

beforeEach(async () => {
  t = await openTestData()
  const engine = new PipelineEngine({ store: t.store, jobs: t.services.jobs, backoffMs: 20 })
  const services: Services = {
    ...t.services,
    orchestration: { ...t.services.orchestration, pipelines: engine },
  }
  worker = new Worker({
    queue: services.jobs,
    services,
    handlers: { [PIPELINE_STEP_JOB]: runPipelineStepJob },
    logger: createLogger({ level: 'silent' }),
    pollMs: 10,
  })
  await worker.start()
  const app = createApp({ services })
  ballast = new Ballast({
    url: 'http://ballast.test',
    fetch: (url, init) => app.request(url, init),
  })
})

afterEach(async () => {
  await worker.stop()
  await t.dispose()
})

function writeLoans(): void {
  const { rows, labels } = applicants(600, seeded(5))
  const lines = rows.map((r, i) => `${r.income},${r.age},${r.region},${labels[i]}`)
  t.file('loans.csv', ['income,age,region,default', ...lines, ''].join('\n'))
  t.file(
    'suite.json',
    JSON.stringify({
      expectations: [
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'income' } },
      ],
    }),
  )
}

const loansPipeline = definePipeline({ name: 'loans-sdk', params: { trees: 5 } }, (p) => {
  const data = p.ingest('data', { file: 'loans.csv', dataset: 'loans' })
  const check = p.validate('check', { dataset: data.outputs.dataset, suite: 'suite.json' })
  const train = p.train(
    'train',
    {
      dataset: data.outputs.dataset,
      target: 'default',
      task: 'classification',
      algo: 'gbdt',
      params: { numTrees: p.param('trees') },
      register: 'loans',
    },
    { needs: [check.name] },
  )
  p.evaluate('gate', {
    challenger: train.outputs.model,
    champion: 'loans@champion',
    data: { dataset: data.outputs.dataset, target: 'default' },
    policy: { rules: [{ metric: 'roc_auc', min: 0.6 }, { validation: 'passed' }] },
    facts: { validation: check.outputs.passed },
  })
})

describe('pipelines defined with the SDK', () => {
  it('uploads the data, applies, runs every step and reuses them from cache on a second run', async () => {
    writeLoans()
    const uploads: string[] = []
    const steps: string[] = []
    const run = await ballast.pipelines.run(loansPipeline, {
      baseDir: t.dir,
      params: { trees: 7 },
      pollMs: 20,
      onUpload: (u) => uploads.push(`${u.step} ${u.dataset}`),
      onStep: (s) => steps.push(`${s.step} ${s.status}`),
    })

    expect(uploads).toEqual(['data loans@1'])
    expect(run.status).toBe('succeeded')
    expect(run.params).toEqual({ trees: 7 })
    expect(run.steps.map((s) => [s.step, s.status])).toEqual([
      ['data', 'succeeded'],
      ['check', 'succeeded'],
      ['train', 'succeeded'],
      ['gate', 'succeeded'],
    ])
    expect(steps).toContain('gate succeeded')
    const [data, check, train, gate] = run.steps
    expect(data!.outputs).toMatchObject({ dataset: 'loans@1', rows: 600 })
    expect(check!.outputs).toEqual({ passed: true, failed_expectations: 0 })
    expect(train!.outputs).toMatchObject({ model: 'loans/1', dataset: 'loans@1' })
    expect(gate!.outputs).toMatchObject({ passed: true, status: 'passed', challenger: 'loans/1' })
    const trained = await t.services.tracking.runs.get(train!.outputs!.run_id as string)
    const params = Object.fromEntries((trained.data.params ?? []).map((x) => [x.key, x.value]))
    expect(params.numTrees).toBe('7')

    // As the server stored it: the same spec, with the file named by its dataset version.
    const stored = await ballast.pipelines.get('loans-sdk')
    expect((stored.spec.steps as { with: unknown }[])[0]!.with).toEqual({ dataset: 'loans@1' })
    expect(await ballast.pipelines.list()).toHaveLength(1)

    // The same bytes upload to the same version, so nothing is trained again.
    const again = await ballast.pipelines.run(loansPipeline, {
      baseDir: t.dir,
      params: { trees: 7 },
      pollMs: 20,
    })
    expect(again.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached', 'succeeded'])
    expect(await ballast.pipelines.runs('loans-sdk')).toHaveLength(2)
  }, 120_000)

  it('is refused with the field named when it breaks a rule only the server checks', async () => {
    const backwards = definePipeline({ name: 'backwards' }, (p) => {
      p.ingest('data', { dataset: 'loans@latest' })
      p.validate('check', {
        dataset: '${{ steps.later.outputs.dataset }}',
        suite: { expectations: [] },
      })
    })
    await expect(ballast.pipelines.apply(backwards)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message:
        "spec: steps[1].with: step 'check' depends on 'later', which is no step; a step may only use earlier steps",
    })
    await expect(ballast.pipelines.list()).resolves.toEqual([])
  })
})

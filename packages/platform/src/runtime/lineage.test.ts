import { NotFoundError } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestData } from '../data/test-support/open-test-data.js'
import {
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from '../monitoring/monitors/test-support/monitored-deployment.js'
import { createLogger } from '../observability/logger.js'
import {
  PIPELINE_STEP_JOB,
  PipelineEngine,
  type PipelineRun,
  parsePipelineYaml,
} from '../orchestration/index.js'
import { datasetLineage, modelLineage, predictionLineage } from './lineage.js'
import { runPipelineStepJob } from './pipeline-step-job.js'
import { STEP_CATALOG } from './steps/index.js'
import { Worker } from './worker.js'

const TIME = Date.UTC(2026, 1, 3, 10, 0, 0)

describe('lineage on the loans deployment', () => {
  let m: MonitoredDeployment
  let ids: string[]
  beforeAll(async () => {
    m = await openMonitoredDeployment()
    ids = await m.serve(applicants(3, seeded(11)).rows, TIME)
    await m.label([ids[1]!], [1])
  }, 120_000)
  afterAll(() => m.dispose())

  it('follows a served row to the model version, its run and dataset version', async () => {
    const lineage = await predictionLineage(m.t.services, ids[1]!)
    expect(lineage).toMatchObject({
      request_id: 'req-0000001',
      deployment: 'loans',
      time: TIME,
      shadow: false,
      label: '1',
    })
    expect(lineage.model).toMatchObject({
      model: 'loans',
      version: 1,
      aliases: ['prod'],
      pipeline_run: null,
      deployments: [{ name: 'loans', role: 'primary' }],
    })
    expect(lineage.model.datasets.map((d) => [d.name, d.version])).toEqual([['loans', 1]])
    expect(lineage.model.run_id).toMatch(/^[0-9a-f]{32}$/)
    expect(lineage.model.params.numTrees).toBe('40')
    // Unlabelled rows say so; the deployment may be named.
    expect((await predictionLineage(m.t.services, ids[2]!, 'loans')).label).toBeNull()
  })

  it('finds the first record of a records request by its bare request id', async () => {
    const lineage = await predictionLineage(m.t.services, 'req')
    expect(lineage.request_id).toBe('req-0000000')
  })

  it('names the request id it cannot find', async () => {
    const error = await predictionLineage(m.t.services, 'nope', 'loans').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect((error as Error).message).toBe(
      "Prediction 'nope' not found in the log of deployment 'loans'",
    )
  })

  it('gives the same lineage for a model by version and by alias', async () => {
    const byAlias = await modelLineage(m.t.services, 'loans@prod')
    const byVersion = await modelLineage(m.t.services, 'loans/1')
    expect(byAlias).toEqual(byVersion)
    expect(byAlias.version).toBe(1)
    expect(Object.keys(byAlias.metrics)).toContain('test_roc_auc')
  })

  it('lists the model versions trained on a dataset version', async () => {
    const lineage = await datasetLineage(m.t.services, 'loans@1')
    expect(lineage).toMatchObject({ name: 'loans', version: 1, rows: 3000, versions: [1] })
    expect(lineage.models.map((x) => [x.model, x.version])).toEqual([['loans', 1]])
    expect(lineage.pipeline_runs).toEqual([])
  })
})

const PIPELINE_YAML = `name: loans-retrain
steps:
  - name: data
    kind: ingest
    with: { file: loans.csv, dataset: loans }
  - name: train
    kind: train
    with:
      dataset: "\${{ steps.data.outputs.dataset }}"
      target: default
      task: classification
      algo: gbdt
      params: { numTrees: "5" }
      register: loans
`

describe('lineage through a pipeline run', () => {
  it('leads from the model version and the dataset version to the run and its trigger', async () => {
    const t = await openTestData()
    const engine = new PipelineEngine({ store: t.store, jobs: t.services.jobs })
    const services = {
      ...t.services,
      orchestration: { ...t.services.orchestration, pipelines: engine },
    }
    const worker = new Worker({
      queue: services.jobs,
      services,
      handlers: { [PIPELINE_STEP_JOB]: runPipelineStepJob },
      logger: createLogger({ level: 'silent' }),
      pollMs: 10,
    })
    await worker.start()
    try {
      const { rows, labels } = applicants(400, seeded(5))
      const lines = rows.map((r, i) => `${r.income},${r.age},${r.region},${labels[i]}`)
      t.file('loans.csv', ['income,age,region,default', ...lines, ''].join('\n'))
      await engine.apply(
        parsePipelineYaml(PIPELINE_YAML, 'loans.yaml', { steps: STEP_CATALOG, baseDir: t.dir }),
        'alice',
      )
      const trigger = {
        kind: 'event' as const,
        detail: 'drift_detected #12 (monitor loans)',
        values: { event_id: 12 },
      }
      let run: PipelineRun = await engine.start('loans-retrain', {
        trigger,
        actor: 'system:trigger',
      })
      for (let i = 0; i < 3000 && !['succeeded', 'failed'].includes(run.status); i++) {
        await new Promise((r) => setTimeout(r, 20))
        run = await engine.run(run.id)
      }
      expect(run.status).toBe('succeeded')
      const expected = {
        id: run.id,
        pipeline: 'loans-retrain',
        status: 'succeeded',
        trigger,
        created_at: run.createdAt,
        decision: null,
        rollout: null,
      }
      const model = await modelLineage(services, 'loans/1')
      expect(model.pipeline_run).toEqual({ ...expected, step: 'train' })
      expect(model.datasets.map((d) => [d.name, d.version])).toEqual([['loans', 1]])
      const dataset = await datasetLineage(services, 'loans@1')
      expect(dataset.pipeline_runs).toEqual([{ ...expected, step: 'data' }])
      expect(dataset.models.map((x) => [x.model, x.version])).toEqual([['loans', 1]])
    } finally {
      await worker.stop()
      await t.dispose()
    }
  }, 120_000)
})

import { GetDatasetResponse, type IngestDatasetResponse } from '@ballast/contracts'
import { Ballast } from '@ballast/sdk'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../http/app.js'
import { type TestData, openTestData } from './test-support/open-test-data.js'

describe('lineage: run → dataset version → runs that used it', () => {
  let t: TestData
  let ballast: Ballast
  beforeEach(async () => {
    t = await openTestData()
    const app = createApp({ services: t.services })
    ballast = new Ballast({
      url: 'http://ballast.local',
      fetch: (input, init) => app.request(input, init),
      retries: 0,
    })
  })
  afterEach(async () => {
    await t.dispose()
  })

  async function ingest(body: string): Promise<IngestDatasetResponse> {
    const res = await ballast.http.send({
      method: 'POST',
      path: '/api/v1/datasets/churn/versions',
      query: { format: 'csv', source: 'churn.csv' },
      body: () => body,
    })
    return (await res.json()) as IngestDatasetResponse
  }

  it('lists the runs that logged a version with run.logInput, per version', async () => {
    const v1 = (await ingest('id,label\n1,0\n2,1\n')).version
    const v2 = (await ingest('id,label\n1,0\n2,1\n3,1\n')).version
    const train = await ballast.startRun({ experiment: 'churn', name: 'train-v1' })
    await train.logInput(v1, { context: 'training' })
    const evaluate = await ballast.startRun({ experiment: 'churn', name: 'eval-v2' })
    await evaluate.logInput(v2, { context: 'evaluation' })
    await evaluate.logInput(v1)
    await evaluate.end()

    // The run side: the MLflow input names the exact version.
    const run = await ballast.getRun(train.id)
    expect(run.inputs?.dataset_inputs?.[0]?.dataset).toMatchObject({
      name: 'churn',
      digest: v1.digest.slice(0, 36),
      source_type: 'ballast',
      source: 'ballast:churn@1',
    })

    // The dataset side: each version lists its runs.
    const shown = GetDatasetResponse.parse(await ballast.request('GET', '/api/v1/datasets/churn'))
    const runsOf = (version: number) =>
      shown.versions
        .find((v) => v.version === version)
        ?.runs.map((r) => [r.run_name, r.context, r.status])
    expect(runsOf(2)).toEqual([['eval-v2', 'evaluation', 'FINISHED']])
    expect(runsOf(1)?.sort()).toEqual([
      ['eval-v2', null, 'FINISHED'],
      ['train-v1', 'training', 'RUNNING'],
    ])
    const trainEntry = shown.versions[1]?.runs.find((r) => r.run_id === train.id)
    expect(trainEntry?.experiment_id).toBe(train.experimentId)
    await train.end()
  })

  it('leaves deleted runs out', async () => {
    const v1 = (await ingest('id\n1\n')).version
    const run = await ballast.startRun({ name: 'gone' })
    await run.logInput(v1)
    await run.end()
    await ballast.request('POST', '/api/2.0/mlflow/runs/delete', { run_id: run.id })
    const shown = GetDatasetResponse.parse(await ballast.request('GET', '/api/v1/datasets/churn'))
    expect(shown.versions[0]?.runs).toEqual([])
  })
})

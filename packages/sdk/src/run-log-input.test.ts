import { describe, expect, it } from 'vitest'
import { Ballast } from './ballast.js'
import { fakeFetch, jsonResponse } from './test-support/fake-fetch.js'

const RUN_INFO = {
  run_id: 'r1',
  experiment_id: '3',
  run_name: 'train',
  status: 'RUNNING',
  artifact_uri: 'mlflow-artifacts:/3/r1/artifacts',
}
const DIGEST = '52f025c030e39dc97b60916c1c5fe0449841aaddd2870fbe8621b79a6f0bdb55'

async function startRun() {
  const server = fakeFetch((call) =>
    call.path.endsWith('/runs/create')
      ? jsonResponse(200, { run: { info: RUN_INFO, data: {} } })
      : jsonResponse(200, {}),
  )
  const ballast = new Ballast({ url: 'http://ballast.test', fetch: server.fetch, retries: 0 })
  return { run: await ballast.startRun(), calls: server.calls }
}

describe('Run.logInput', () => {
  it('logs the dataset version as an MLflow input with the digest MLflow admits', async () => {
    const { run, calls } = await startRun()
    await run.logInput({ name: 'weather', version: 3, digest: DIGEST }, { context: 'training' })
    const call = calls.find((c) => c.path === '/api/2.0/mlflow/runs/log-inputs')
    expect(call?.json).toEqual({
      run_id: 'r1',
      datasets: [
        {
          dataset: {
            name: 'weather',
            digest: DIGEST.slice(0, 36),
            source_type: 'ballast',
            source: 'ballast:weather@3',
          },
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
        },
      ],
    })
    await run.end()
  })

  it('refuses a version that is not a version number, before sending anything', async () => {
    const { run, calls } = await startRun()
    await expect(run.logInput({ name: 'weather', version: 0, digest: DIGEST })).rejects.toThrow(
      'invalid dataset version 0: expected a version number such as 1',
    )
    expect(calls.filter((c) => c.path.endsWith('/log-inputs'))).toEqual([])
    await run.end()
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'

/** model-versions/create accepts only artifacts of runs on this server as `source`. */

let t: MlflowTestClient
let runId: string
let experimentId: string

beforeAll(async () => {
  t = await openMlflowTestClient()
  ;({ runId, experimentId } = await t.createRun())
  await t.post('registered-models/create', { name: 'm' })
})

afterAll(async () => {
  await t.dispose()
})

const FORM =
  "a model version must come from an artifact of a run on this server: 'runs:/<run_id>/<path>' " +
  "or 'mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>'"

describe('model-versions/create source', () => {
  it('accepts runs:/ and mlflow-artifacts:/ URIs of an existing run', async () => {
    const proxied = `mlflow-artifacts:/${experimentId}/${runId}/artifacts/models/m1`
    for (const source of [`runs:/${runId}/model`, proxied]) {
      const res = await t.post('model-versions/create', { name: 'm', source })
      expect(res.status, source).toBe(200)
      expect(res.body.model_version.source).toBe(source)
      expect(res.body.model_version.run_id).toBe(runId)
    }
    expect(
      (await t.get('model-versions/get-download-uri', { name: 'm', version: '2' })).body,
    ).toEqual({
      artifact_uri: proxied,
    })
  })

  const hostile: [string, (run: string) => string, string][] = [
    ['an absolute local path', () => '/etc/passwd', FORM],
    ['a file: URI', () => 'file:///home/user/model', FORM],
    ['a relative local path', () => 'mlruns/0/abc/artifacts/model', FORM],
    ['an S3 URI', () => 's3://bucket/model', FORM],
    ['an HTTP URL', () => 'http://169.254.169.254/latest/meta-data', FORM],
    ['a models:/ URI', () => 'models:/other/1', FORM],
    ['runs:/ without a path', (r) => `runs:/${r}/`, FORM],
    ['runs:/ with a non-hex run id', () => 'runs:/../model', "'..' is not a run id"],
    ['traversal out of the run', (r) => `runs:/${r}/../../etc`, `it contains a '..' segment`],
    ['encoded traversal', (r) => `runs:/${r}/%2e%2e/x`, `it contains a '..' segment`],
    ['a backslash', (r) => `runs:/${r}/a\\..\\b`, 'it contains a backslash'],
    ['an absolute path in the run', (r) => `runs:/${r}//etc`, 'it must be relative'],
    ['an empty segment', (r) => `runs:/${r}/a//b`, 'it contains an empty segment (//)'],
    [
      'mlflow-artifacts:// with a host',
      (r) => `mlflow-artifacts://evil/0/${r}/artifacts/model`,
      FORM,
    ],
    ['mlflow-artifacts outside artifacts/', (r) => `mlflow-artifacts:/0/${r}/model`, FORM],
  ]
  it.each(hostile)('refuses %s', async (_, make, why) => {
    const source = make(runId)
    const res = await t.post('model-versions/create', { name: 'm', source })
    expect(res.status).toBe(400)
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    expect(res.body.message).toContain(
      `Invalid value for parameter 'source': ${JSON.stringify(source)}; `,
    )
    expect(res.body.message).toContain(why)
  })

  it('refuses a run this server does not have, and the wrong experiment', async () => {
    const ghost = '0'.repeat(32)
    expect(
      (await t.post('model-versions/create', { name: 'm', source: `runs:/${ghost}/m` })).body,
    ).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `Invalid value for parameter 'source': "runs:/${ghost}/m"; run ${ghost} does not exist on this server`,
    })
    const wrong = `mlflow-artifacts:/999/${runId}/artifacts/m`
    expect((await t.post('model-versions/create', { name: 'm', source: wrong })).body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `Invalid value for parameter 'source': ${JSON.stringify(wrong)}; run ${runId} belongs to experiment ${experimentId}, not 999`,
    })
  })

  it('creates no version when the source is refused', async () => {
    const res = await t.get('model-versions/search', { filter: "name = 'm'" })
    expect(res.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['2', '1'])
  })
})
